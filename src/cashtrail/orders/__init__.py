"""Order management: order intake against the contract, bundles, acceptance, invoice triggers and RMAs."""
