"""Enrollment campaigns: applications, recommendations, meetings, admissions, figures."""
