"""Fixes: text edits on the original file (`edits`), which rule fixes them and how safely, applied and verified before anything is written."""
