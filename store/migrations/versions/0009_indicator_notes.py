"""indicator_notes: the committee's annotations of what they changed and when, drawn on the indicator 6 run
chart of the HA report (`/note [YYYY-MM-DD] text`, `/notes`)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.types import UTCDateTime

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'indicator_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('author_staff_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_staff_id'], ['staff.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_indicator_notes_day', 'indicator_notes', ['day'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_indicator_notes_day', table_name='indicator_notes')
    op.drop_table('indicator_notes')
