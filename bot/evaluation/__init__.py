"""`newsbot eval`: run a question set against the store and measure retrieval and answers."""

from bot.evaluation.metrics import QuestionResult, summarise
from bot.evaluation.questions import EvalQuestion, load_questions
from bot.evaluation.runner import evaluate

__all__ = ["EvalQuestion", "QuestionResult", "evaluate", "load_questions", "summarise"]
