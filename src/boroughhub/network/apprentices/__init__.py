"""The Apprentice Hub: the directory (only what each apprentice shares), opportunities and career support."""
