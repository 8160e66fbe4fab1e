"""Stories whose members changed since their report was written: ``stale_since`` holds when the
first such change was committed (NULL: the report is up to date).

Revision ID: 0004
Revises: 0003

``storyline ingest`` and the queue's worker store a batch's articles in the batch's transaction
and reconcile the stories it grew once, at the end of the run (or when the queue is empty);
the mark is committed with the articles, so a run killed in between leaves the stories marked
and the next run or worker reconciles them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("stale_since", sa.DateTime(timezone=True)))
        batch.create_index("ix_stories_stale_since", ["stale_since"])


def downgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.drop_index("ix_stories_stale_since")
        batch.drop_column("stale_since")
