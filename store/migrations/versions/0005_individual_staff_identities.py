"""revoke staff roles bound to shared sender ids

A staff identity must be one person. Before this revision `/register` bound whatever id a message came
from: a LINE group message from a desktop user has no userId, so the group's id was bound (every desktop
user in that group then held the role); a Telegram anonymous admin arrives as GroupAnonymousBot, the same
account in every group (every anonymous admin anywhere held the role), and posts in a chat's name come as
Channel_Bot / Telegram, or with the chat's own id. Such identities are unbound from their staff row (the
row, its cases and its audit stay) and each unbinding is audited. A committee that wants its group chat to
receive committee pings and show case details registers it again with `/group` (handlers/committee.py).

Data only: no schema change. Downgrade does not re-grant the roles.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 21:30:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# GroupAnonymousBot, Channel_Bot, Telegram (bot/telegram/adapter.py SHARED_ACCOUNTS)
TELEGRAM_SHARED = frozenset({'1087968824', '136817688', '777000'})

identities = sa.table(
    'channel_identities',
    sa.column('id', sa.Integer), sa.column('channel', sa.String), sa.column('external_id', sa.String),
    sa.column('staff_id', sa.Integer),
)
audit = sa.table(
    'audit_log',
    sa.column('at', store.types.UTCDateTime()), sa.column('actor_staff_id', sa.Integer),
    sa.column('actor', sa.String), sa.column('channel', sa.String), sa.column('action', sa.String),
    sa.column('target', sa.String), sa.column('allowed', sa.Boolean), sa.column('detail', sa.JSON),
)


def shared(channel: str, external_id: str) -> bool:
    """An id many people send from: a LINE group/room (user ids start with U), a Telegram shared account
    or a chat's own (negative) id."""
    if channel == 'line':
        return not external_id.startswith('U')
    if channel == 'telegram':
        return external_id in TELEGRAM_SHARED or external_id.startswith('-')
    return False


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(identities.c.id, identities.c.channel, identities.c.external_id, identities.c.staff_id)
        .where(identities.c.staff_id.is_not(None))
    ).all()
    now = datetime.now(UTC)
    for identity_id, channel, external_id, staff_id in rows:
        if not shared(channel, external_id):
            continue
        bind.execute(sa.update(identities).where(identities.c.id == identity_id).values(staff_id=None))
        bind.execute(sa.insert(audit).values(
            at=now, actor_staff_id=None, actor='migration:0005', channel=channel, action='staff.identity_revoked',
            target=f'staff:{staff_id}', allowed=True,
            detail={'reason': 'shared_sender', 'identity_id': identity_id},
        ))


def downgrade() -> None:
    """Nothing to undo: a role given to a shared id is not given back."""
