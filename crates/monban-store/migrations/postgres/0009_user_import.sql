-- Slot for the user import tables; replaced by the work that needs it.
SELECT 1;
