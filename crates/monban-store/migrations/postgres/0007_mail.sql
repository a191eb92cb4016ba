-- Slot for the mail tables; replaced by the work that needs it.
SELECT 1;
