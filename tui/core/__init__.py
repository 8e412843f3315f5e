"""Core logic of biaozhu: plain Python, no Textual import (DESIGN §1)."""
