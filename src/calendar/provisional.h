#pragma once
// Provisional years (domain.md §3): a year after the last imported State Council notice is
// never a blank. It rests on the statutory holidays of 《全国年节及纪念日放假办法》 as revised in
// 2024 (in force 2025-01-01): 元旦 1 Jan; 春节 除夕 and 正月初一 to 初三; 清明; 劳动节 1-2 May;
// 端午; 中秋; 国庆 1-3 Oct; and by its Art 6 a holiday falling on a Saturday or Sunday gives a
// rest day on the next working day (补假). No make-up working day (调休) is guessed: 调休 only
// moves days, so over any span containing a whole holiday window the provisional count of
// working days equals the final arrangement's; a provisional date can differ from the final
// one only when it falls inside a holiday's window.
//
// The lunar and solar-term dates come from workflow/calendar/festivals.tsv (data, checked
// against an independent source by tests/calendar/festivals_test.sh).

#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "calendar/year_data.h"

namespace ogi {

struct FestivalDates {
  int year = 0;
  Date spring;    // 正月初一 (除夕 is the day before)
  Date qingming;  // the day of the 清明 solar term, Beijing time
  Date duanwu;    // 五月初五
  Date zhongqiu;  // 八月十五
};

// Reads festivals.tsv: '#' comments, then "YEAR<TAB>SPRING<TAB>QINGMING<TAB>DUANWU<TAB>ZHONGQIU"
// per line, years ascending without gaps, each date inside its year. Every problem names the line.
Result<std::vector<FestivalDates>> parse_festival_table(std::string_view text,
                                                        const std::string& source);

// The provisional arrangement of one year: days off only, `provisional` set, no notice.
YearData provisional_year(const FestivalDates& f);

// `official` (contiguous, as loaded) followed by a provisional year for every year of the table
// after the last official one. Entries on dates an official year already lists are left out.
std::vector<YearData> with_provisional_years(std::vector<YearData> official,
                                             const std::vector<FestivalDates>& table);

}  // namespace ogi
