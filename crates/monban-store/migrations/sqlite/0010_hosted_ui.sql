-- Slot for the hosted ui tables; replaced by the work that needs it.
SELECT 1;
