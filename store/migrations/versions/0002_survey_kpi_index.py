"""covering index for indicator 6: survey responses by visit date, service type and mean score

The /kpi query groups a fiscal year's responses by day and service type and counts those whose mean
score is in the satisfied band; this index holds every column it reads, in group order, so SQLite
answers from the index alone without a sort (and PostgreSQL can use an index-only scan).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 02:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index('ix_survey_visit_type_score', ['visit_date', 'service_type', 'mean_score'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_visit_type_score')
