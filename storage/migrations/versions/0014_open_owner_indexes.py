"""open owner indexes

The nudge scheduler asks every minute who owns an open deal or lead. Without an index it
read every deal and lead of every workspace (a sequential scan); these partial indexes hold
(stage, team, owner) of the records that are not voided and have an owner (leads: not
converted either), so it reads only the open stages' entries, from the index alone.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 12:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

DEALS = "voided_at IS NULL AND owner IS NOT NULL"
LEADS = "voided_at IS NULL AND converted_at IS NULL AND owner IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.create_index('ix_deals_stage_team_owner', ['stage_id', 'team_id', 'owner'],
                              unique=False, postgresql_where=sa.text(DEALS),
                              sqlite_where=sa.text(DEALS))
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index('ix_leads_stage_team_owner', ['stage_id', 'team_id', 'owner'],
                              unique=False, postgresql_where=sa.text(LEADS),
                              sqlite_where=sa.text(LEADS))


def downgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_stage_team_owner')
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index('ix_deals_stage_team_owner')
