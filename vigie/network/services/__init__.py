"""Everything that writes coordination data. One module per part: consent (shared), referrals,
transfers, directory, places, notifications."""
