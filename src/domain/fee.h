#pragma once
// Information processing fee (信息处理费), 国办函〔2020〕109号 (domain.md §7). Amounts in yuan.
// Both scales are progressive: each band's rate applies only to the part inside that band.

namespace ogi {

// Per application (按件): `nth` is this application's position among the same applicant's
// applications in the calendar month (1-based). 1-10 free; 11-30: 100; then bands of ten,
// each 100 more per application (31-40: 200, 41-50: 300, ...).
long long fee_per_application(int nth);

// Per page (按量): up to 30 pages free; pages 31-100: 10 each; 101-200: 20 each; from 201: 40.
long long fee_per_page(int pages);

}  // namespace ogi
