"""The tutor engine: prompts that follow the teaching pattern, a lesson flow held by the engine."""
