"""Rating and bill runs: turn contracts, meter reads and service jobs into explained charges."""
