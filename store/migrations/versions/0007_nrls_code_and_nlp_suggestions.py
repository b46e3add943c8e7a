"""cases.risk_code (HA's NRLS code, confirmed by the committee with /code) and feedback.nlp (the NLP's
suggestions: question, confidence, needs_review, risk codes, severity)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('risk_code', sa.String(length=16), nullable=True))
        batch.create_index('ix_cases_risk_code', ['risk_code'], unique=False)
    with op.batch_alter_table('feedback') as batch:
        batch.add_column(sa.Column('nlp', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('feedback') as batch:
        batch.drop_column('nlp')
    with op.batch_alter_table('cases') as batch:
        batch.drop_index('ix_cases_risk_code')
        batch.drop_column('risk_code')
