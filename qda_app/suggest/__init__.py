"""Pure suggestion models: texts and labels in, scored suggestions out."""
