"""The demo schools' shipped Basispoort deliveries, and the script that made them."""
