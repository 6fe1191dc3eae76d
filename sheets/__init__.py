"""Spreadsheets read and written: bounded reading of .xlsx and .csv (table.py), the tổng hợp's
sheet (tong_hop.py), the batch sheet of Phiếu 01 (batch.py), the roster (roster.py) and the
year-end results (year_end.py)."""
