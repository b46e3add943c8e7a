"""outbox rows let go of the inbound event that caused them (ON DELETE SET NULL)

`outbound_messages.inbound_event_id` had no delete rule, so deleting any inbound event that had caused a
reply or a ping failed on the foreign key ("FOREIGN KEY constraint failed" on SQLite, a violation on
PostgreSQL): `patient purge` always rolled back whole, and `patient erase` did for anyone whose event had
pinged staff. The link is only a trace; the outbox row keeps its own life.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 21:15:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0001 left the constraint unnamed; PostgreSQL named it <table>_<column>_fkey, and batch mode (SQLite) names
# the reflected one by this convention so that it can be dropped.
OLD = 'outbound_messages_inbound_event_id_fkey'
NEW = 'fk_outbound_messages_inbound_event_id'
CONVENTION = {'fk': '%(table_name)s_%(column_0_name)s_fkey'}


def _replace(*, drop: str, create: str, ondelete: str | None) -> None:
    with op.batch_alter_table('outbound_messages', naming_convention=CONVENTION) as batch_op:
        batch_op.drop_constraint(drop, type_='foreignkey')
        batch_op.create_foreign_key(create, 'inbound_events', ['inbound_event_id'], ['id'], ondelete=ondelete)


def upgrade() -> None:
    _replace(drop=OLD, create=NEW, ondelete='SET NULL')


def downgrade() -> None:
    _replace(drop=NEW, create=OLD, ondelete=None)
