-- Slot for the throttling tables; replaced by the work that needs it.
SELECT 1;
