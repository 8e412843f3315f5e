"""Widgets of biaozhu: one widget per module."""
