"""The interactive conversation. Follow-ups use the same Conversation the Discord threads use.

With a terminal: line editing and a history file (GNU readline). With piped stdin: one question a
line, answers on stdout, no prompt noise, so transcripts can be scripted.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Any, TextIO

from bot.conversation import Conversation
from bot.intent import Intent, classify
from bot.terminal import render_answer, sources_block
from config import NewsbotError

if TYPE_CHECKING:
    from bot.answering.answer import Answer
    from bot.background_warming import BackgroundWarmer
    from bot.service import NewsbotService

HELP = """Ask a question about the articles ("Why was Carter expelled?"), follow it up ("when was he
elected?", "tell me more"), ask for a story ("tell me about the Sharma expulsion") or for the latest
ones ("what's new?"), ask "source?" for the last answer's paragraphs, or:
  :sources   show the full cited paragraphs of the last answer
  :new       start a new conversation (forget earlier questions)
  :help      this help
  :quit      leave (Ctrl-D works too)"""

# Said instead of answering, so "thanks!" never becomes a question (or a follow-up) for the articles.
YOU_ARE_WELCOME = "(You're welcome. Ask another question, :new to change the subject, :quit to leave.)"
WHO_I_AM = "I'm newsbot: I answer questions about the articles I have read, citing the paragraphs I used."
HELLO = "(Hello! Ask a question about the articles, e.g. “Why was Chris Carter expelled?”; :help lists the rest.)"


class Repl:
    """Reads questions and ``:commands`` from ``stdin``, answers on ``stdout`` as one conversation."""

    def __init__(
        self,
        service: NewsbotService,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        self.service = service
        self.as_of = as_of
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.conversation = Conversation()
        self.shown: Answer | None = None  # the last answer shown (:sources lists its sources)
        self.interactive = self.stdin.isatty()
        # In a terminal, after the first answer (which builds the models the warming shares), the
        # archive's sentences are embedded while the user reads and types: only what is missing, and
        # stepping aside during each answer. A script's piped questions run with nothing beside them.
        self.warmer: BackgroundWarmer | None = None

    def say(self, text: str = "") -> None:
        print(text, file=self.stdout, flush=True)

    def _setup_history(self) -> None:
        try:
            import readline
        except ImportError:  # not on every platform; editing still works without history
            return
        path = self.service.settings.resolved_data_dir / "repl_history"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists():
                readline.read_history_file(str(path))
        except OSError:
            return
        import atexit

        readline.set_history_length(1000)
        atexit.register(_save_history, readline, str(path))

    def read(self) -> str | None:
        if self.interactive:
            try:
                return input("? ")
            except EOFError:
                return None
        line = self.stdin.readline()
        return None if line == "" else line

    def run(self) -> None:
        if self.interactive:
            self._setup_history()
            self.say("newsbot — ask about the articles. :help for commands, :quit to leave.")
            if self.service.warms_in_background:
                from bot.background_warming import BackgroundWarmer

                self.warmer = BackgroundWarmer(self.service)
        try:
            self._loop()
        finally:
            if self.warmer is not None:
                self.warmer.stop()

    def _loop(self) -> None:
        while True:
            try:
                line = self.read()
            except KeyboardInterrupt:
                self.say()
                continue
            if line is None:
                break
            line = line.strip()
            if not line:
                continue
            if not self.handle(line):
                break

    def show_sources(self) -> None:
        """The full cited paragraphs of the answer shown last (for several questions at once, which is
        not the conversation's last turn)."""
        last = self.shown
        if last is None or not last.citations:
            self.say("No sources yet: the last answer cited nothing.")
        else:
            self.say(sources_block(last, full=True))

    def handle(self, line: str) -> bool:
        """Handle one input line; False ends the session."""
        command = line.lower()
        if command in (":quit", ":q", ":exit"):
            return False
        if command == ":help":
            self.say(HELP)
        elif command == ":new":
            self.conversation.clear()
            self.shown = None
            self.say("(new conversation)")
        elif command == ":sources":
            self.show_sources()
        elif command.startswith(":"):
            self.say(f"Unknown command {line!r}. {HELP}")
        else:
            if not self.interactive:
                self.say(f"> {line}")
            # The same decision a Discord thread makes. A wordless line goes on to the service,
            # whose "Please ask a question in words" is the clearer reply.
            intent = classify(line, addressed=True)
            if intent is Intent.SOURCES:  # "source?", "where did you get that?", "are you sure?": as :sources
                self.show_sources()
                self.say()
                return True
            if intent is Intent.HELP:  # "help", "what can you do?": as :help
                self.say(f"{WHO_I_AM}\n{HELP}")
                self.say()
                return True
            if intent in (Intent.ACKNOWLEDGEMENT, Intent.GREETING):
                self.say(YOU_ARE_WELCOME if intent is Intent.ACKNOWLEDGEMENT else HELLO)
                self.say()
                return True
            try:
                answer = self.service.ask(line, self.conversation, as_of=self.as_of)
            except NewsbotError as exc:
                self.say(f"Error: {exc}")
            else:
                self.shown = answer
                self.say(render_answer(answer))
                if self.warmer is not None and not self.warmer.requested:
                    self.warmer.request()  # once: a REPL ingests nothing
            self.say()
        return True


def _save_history(readline: Any, path: str) -> None:
    try:
        readline.write_history_file(path)
    except OSError:
        pass
