#pragma once
// The State Council General Office's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的
// 通知) as text: read as published (pasted by an administrator) into a YearData, and written back
// in the published pattern. Pure: no files, no clock.

#include <string>
#include <string_view>

#include "calendar/year_data.h"

namespace ogi {

// Parses the text of a holiday notice as published. `year` 0 = take it from the title
// ("关于2026年部分节假日安排的通知") or fail asking for it. The notice number
// (国办发明电〔2025〕7号) is taken from the text when present; otherwise left empty.
//
// Reads the numbered items (一、元旦：…。); text before the first item and after the last is
// ignored. Entries follow the .cal conventions: a day off is named after its festival as the item
// names it, a make-up working day festival + "调休上班"; one entry per day, `line` = line in the
// text, `source` = source. Every problem is collected, one per line of the message
// ("第3行：…"), then the result's validate_year problems. Code::invalid on any problem.
Result<YearData> parse_notice(std::string_view text, int year = 0,
                              const std::string& source = "粘贴的通知");

// Writes a year as a notice text in the published pattern (title, notice number, salutation,
// intro, numbered items with （周X） markers, 共N天, 上班 sentences, closing paragraph, signature,
// date). parse_notice(format_notice(y)) gives back y's days and notice. Make-up working days are
// expected to be named festival + "调休上班" (the festival's item holds them).
std::string format_notice(const YearData& y);

}  // namespace ogi
