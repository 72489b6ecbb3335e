"""``python -m bot`` runs the ``newsbot`` command."""

from bot.cli import main

main()
