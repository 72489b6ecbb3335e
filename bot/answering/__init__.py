"""The answering chain: retrieved paragraphs in, a cited `Answer` out.

`chain` is the LangChain pipeline (standalone question → retriever → answerer), typed by its
`ChainInput` and the `Answerer` protocol; `follow_up` is its offline standalone-question rewrite;
`answer` holds the Answer/Citation records every face renders; `extractive` is the offline default
answerer (with its learned `model`, `features`, `cues`, `forms`, `conflicts` and `sentences`);
`llm` is the optional LLM one. Nothing here imports the service or a face.
"""
