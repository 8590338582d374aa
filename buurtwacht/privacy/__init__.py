"""Privacy of a group's content: retention (what expires is deleted by the task worker),
the admin's privacy page and the member register (R-RUL-6, AVG)."""
