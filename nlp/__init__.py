"""Thai NLP for Patient Voice: topics, sentiment, complaint detection and sentinel-event hints.

Importing this package is cheap; the tokenizer dictionary, lexicon and model load on the first
``get_analyzer()`` call.
"""

from nlp.analyzer import Analysis, Analyzer, Sentiment, TopicTag, get_analyzer

__all__ = ["Analysis", "Analyzer", "Sentiment", "TopicTag", "get_analyzer"]
