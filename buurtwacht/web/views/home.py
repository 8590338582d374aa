from .register import home

__all__ = ["home"]
