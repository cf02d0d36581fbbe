"""Pure readers and writers of files: transcripts, codebooks, REFI-QDA."""
