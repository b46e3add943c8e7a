"""cases.external_ref (an HRMS receipt number, unique: re-importing a file adds nothing), cases.occurred_at and
cases.hrms (the HRMS fields as imported), and an index for recurrence counted by NRLS code and unit

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.types import UTCDateTime

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('external_ref', sa.String(length=80), nullable=True))
        batch.add_column(sa.Column('occurred_at', UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('hrms', sa.JSON(), nullable=True))
        batch.create_unique_constraint('uq_cases_external_ref', ['external_ref'])
        batch.create_index('ix_case_code_unit_created', ['risk_code', 'unit_code', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.drop_index('ix_case_code_unit_created')
        batch.drop_constraint('uq_cases_external_ref', type_='unique')
        batch.drop_column('hrms')
        batch.drop_column('occurred_at')
        batch.drop_column('external_ref')
