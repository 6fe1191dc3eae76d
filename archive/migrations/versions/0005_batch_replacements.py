"""A batch's choice for people already issued (skip or replace), and each item's sheet row and
the version it replaced

Revision ID: 0005
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs') as batch:
        batch.add_column(sa.Column('replace_existing', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table('job_items') as batch:
        batch.add_column(sa.Column('row', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('replaced_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_job_items_replaced_id_documents', 'documents',
                                 ['replaced_id'], ['id'])


def downgrade():
    with op.batch_alter_table('job_items') as batch:
        batch.drop_constraint('fk_job_items_replaced_id_documents', type_='foreignkey')
        batch.drop_column('replaced_id')
        batch.drop_column('row')
    with op.batch_alter_table('jobs') as batch:
        batch.drop_column('replace_existing')
