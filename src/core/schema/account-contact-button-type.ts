import { breakdownView } from './account-insights-common';

export const AccountContactButtonType = breakdownView({
  name: 'AccountContactButtonType',
  description: 'Taps on the profile links (profile_links_taps) by contact button, as totals over the EndTime range (default: the last 30 days), one row per 30-day span.',
  breakdown: 'contact_button_type',
  dimensionColumn: 'ContactButtonType',
  dimensionDescription: 'BOOK_NOW, CALL, DIRECTION, EMAIL, INSTANT_EXPERIENCE, TEXT or UNDEFINED.',
  daily: false,
  onlyMetric: 'profile_links_taps',
});
