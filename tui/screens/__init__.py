"""Screens of biaozhu: one screen per module."""
