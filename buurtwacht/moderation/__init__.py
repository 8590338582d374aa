"""Moderation: the polite-language check (R-RUL-3), profiling in free text, and what admins
do about messages (hide, move, review queue; R-GRP-6)."""
