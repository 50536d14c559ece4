"""Cashtrail: an order-to-cash operations platform.

The package is one domain core (kernel modules and domain packages) with adapters (``db``, ``files``) and four
doors (library, ``cli``, ``api``, ``web``). ``bootstrap`` is the single composition root.
"""

__version__ = "0.1.0"
