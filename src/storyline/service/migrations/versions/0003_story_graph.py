"""The story engine's graph in the store: one node per distinct text and date, its index terms,
its piece at each level and its story (``storyline.cluster``); replaces the per-story term sums
of the old rule.

Revision ID: 0003
Revises: 0002

Articles stored before this revision have no node: the store clusters them again when it opens.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_nodes",
        sa.Column("node", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("day", sa.Integer),
        sa.Column("story_id", sa.String(40)),
        sa.Column("vector", sa.Text, nullable=False),
    )
    op.create_index("ix_story_nodes_key", "story_nodes", ["key"])
    op.create_index("ix_story_nodes_story_id", "story_nodes", ["story_id"])
    op.create_table(
        "story_pieces",
        sa.Column("level", sa.Integer, primary_key=True),
        sa.Column("node", sa.Integer, primary_key=True),
        sa.Column("piece", sa.Integer, nullable=False),
    )
    op.create_index("ix_story_pieces_level_piece", "story_pieces", ["level", "piece"])
    op.create_table(
        "story_keys",
        sa.Column("term", sa.String(200), primary_key=True),
        sa.Column("bucket", sa.Integer, primary_key=True),
        sa.Column("node", sa.Integer, primary_key=True),
    )
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("node", sa.Integer))
        batch.create_index("ix_articles_node", ["node"])
    op.drop_index("ix_story_terms_term", "story_terms")
    op.drop_table("story_terms")
    op.drop_table("term_counts")


def downgrade() -> None:
    op.create_table(
        "story_terms",
        sa.Column("story_id", sa.String(40), sa.ForeignKey("stories.id"), primary_key=True),
        sa.Column("term", sa.String(200), primary_key=True),
        sa.Column("weight", sa.Float, nullable=False),
    )
    op.create_index("ix_story_terms_term", "story_terms", ["term"])
    op.create_table(
        "term_counts",
        sa.Column("term", sa.String(200), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_node")
        batch.drop_column("node")
    op.drop_table("story_keys")
    op.drop_index("ix_story_pieces_level_piece", "story_pieces")
    op.drop_table("story_pieces")
    op.drop_index("ix_story_nodes_story_id", "story_nodes")
    op.drop_index("ix_story_nodes_key", "story_nodes")
    op.drop_table("story_nodes")
