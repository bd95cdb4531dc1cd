"""workspaces that left

A workspace that uninstalls Dealbot or revokes its bot token is marked (`left_reason`), so
that nudges stop there as its digests do; installing again clears it and notes when
(`back_at`): nudges due while it was gone are not owed. Existing workspaces are installed.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 12:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

import storage.models


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_reason', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('back_at', storage.models.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.drop_column('back_at')
        batch_op.drop_column('left_reason')
