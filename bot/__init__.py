"""The newsbot application: answering, the conversation, the service, and its faces (CLI, REPL, Discord)."""
