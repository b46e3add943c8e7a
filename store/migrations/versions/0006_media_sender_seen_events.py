"""media files record their sender; seen webhook event ids (hashed) outlive the inbox

`media_files.sender_id`: erase and purge find a person's files, also those never linked to a case.
`seen_events`: SHA-256 of every accepted LINE webhookEventId, kept longer than the inbox rows, so a
captured signed request replayed after purge is refused. Existing LINE inbox rows are hashed in.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 21:10:00
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import store.types

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('media_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True))
        batch_op.create_index(batch_op.f('ix_media_files_sender_id'), ['sender_id'], unique=False)
    seen = op.create_table(
        'seen_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('event_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('seen_at', store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('channel', 'event_hash', name='uq_seen_channel_hash'),
    )
    with op.batch_alter_table('seen_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seen_events_seen_at'), ['seen_at'], unique=False)
    inbox = sa.table('inbound_events', sa.column('channel', sa.String), sa.column('event_id', sa.String),
                     sa.column('received_at', store.types.UTCDateTime()))
    rows = op.get_bind().execute(
        sa.select(inbox.c.event_id, inbox.c.received_at).where(inbox.c.channel == 'line')
    ).all()
    if rows:
        op.bulk_insert(seen, [
            {'channel': 'line', 'event_hash': hashlib.sha256(event_id.encode()).hexdigest(), 'seen_at': received}
            for event_id, received in rows
        ])


def downgrade() -> None:
    with op.batch_alter_table('seen_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seen_events_seen_at'))
    op.drop_table('seen_events')
    with op.batch_alter_table('media_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_files_sender_id'))
        batch_op.drop_column('sender_id')
