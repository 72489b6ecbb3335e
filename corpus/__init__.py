"""Articles in, paragraphs out: reading files and splitting them into citable paragraphs."""

from corpus.articles import Article, Paragraph
from corpus.loaders import LoadProblem, LoadResult, bundled_articles_dir, load_articles
from corpus.paragraphs import split_paragraphs

__all__ = [
    "Article",
    "LoadProblem",
    "LoadResult",
    "Paragraph",
    "bundled_articles_dir",
    "load_articles",
    "split_paragraphs",
]
