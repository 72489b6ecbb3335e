"""The answering chain: retrieved paragraphs in, a cited `Answer` out.

`answer` holds the Answer/Citation records every face renders; `chain` is the LangChain pipeline
(standalone question → retriever → answerer); `extractive` is the offline default answerer (with
its learned `model`, `features`, `cues`, `forms` and `conflicts`); `llm` is the optional LLM one.
"""
