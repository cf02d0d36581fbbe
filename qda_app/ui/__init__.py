"""The desktop program (PySide6): the only package that imports Qt."""
