"""QDA App: qualitative coding of conversations with families for participatory planning."""

__version__ = "0.1.0"
