#pragma once
// Shared by the staff pages (src/http/pages/*.cpp): the page frame, form parsing, the case summary
// and the event forms. Pages parse, call one service, and render with these.
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>

#include <array>
#include <fstream>
#include <map>
#include <span>
#include <stdexcept>
#include <string>

#include "app/case_service.h"
#include "domain/codes.h"
#include "http/body.h"
#include "http/server.h"
#include "workflow/engine.h"

namespace ogi::http {

// Sets `key` only when `v` is not empty (an empty string would still open a {{#key}} section).
void put(Data& d, const std::string& key, const std::string& v);
// An error as the page shows it: the message without the leading "field: ".
std::string ui_message(const Error& e);
std::string roles_label(const User& u);
// The data every page has: user, CSRF token, navigation (what the policy allows).
Data base(const Workflow& wf, const Request& req, const std::string& title);
Data options(std::span<const CodeLabel> table, const std::string& selected,
             const char* blank = "（请选择）");
std::string local_time(const std::string& utc);
std::string days_text(const ClockView& k);
Data case_summary(const CaseView& v, const Workflow& wf, bool mask);
Result<EventRequest> event_from_form(const Workflow& wf,
                                     const std::map<std::string, std::string>& form);
// One form per event this user may record now.
Data action_forms(const Context& ctx, const CaseView& v, const User& u, const Date& today);
std::map<std::string, std::string> form_of(const Request& req);

class UploadPart final : public Poco::Net::PartHandler {
 public:
  void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
    if (!name.empty()) return;  // one file per upload
    std::string disp;
    Poco::Net::NameValueCollection params;
    if (header.has("Content-Disposition")) {
      Poco::Net::MessageHeader::splitParameters(header["Content-Disposition"], disp, params);
      name = params.get("filename", "");
    }
    mime = header.get("Content-Type", "application/octet-stream");
    // to a file of its own as it is parsed: the form's bytes are never all in memory
    file.path = temporary_file("ogi-part-");
    std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
    Poco::StreamCopier::copyStream(stream, out);
    if (!out.flush()) throw std::runtime_error("no room for the upload");
  }
  std::string name, mime;
  SpooledFile file;  // removed with the part
};

// The 承办人 (assign_pages.cpp): the choices for a case of `agency`, the case page's block (who,
// 下一步, the change form) and the changes as history lines {at, label, by, detail}.
Data assignee_choices(Services& s, const User& u, const std::string& agency,
                      const std::string& selected);
Data assignment_block(Services& s, const User& u, const Case& c,
                      const OfficeService::People& people);
// What an event just recorded did, for the page it returns to (event_pages.cpp):
// "已办理：签发答复，已出具政府信息公开申请答复书 复〔2026〕4号。"
std::string event_done(Services& s, const CaseView& v);
// An event's fields as 办理记录 reads them: "送达方式：邮寄；邮件单号：…".
std::string event_detail(const Workflow& wf, const Case& c, const CaseEvent& e);
std::vector<std::array<std::string, 4>> assignment_history(Services& s, const User& u,
                                                           long long case_id,
                                                           const OfficeService::People& people);

// The page groups, each registering its routes (ui_routes.cpp calls them in order).
void add_session_pages(Router& r, Services& s);   // static files, login, logout, 我的待办
void add_register_pages(Router& r, Services& s);  // registration
void add_case_pages(Router& r, Services& s);      // the case page, uploads, reissue, the receipt
void add_event_pages(Router& r, Services& s);     // recording an event (with its confirmation)
void add_assign_pages(Router& r, Services& s);    // changing a case's 承办人
void add_search_pages(Router& r, Services& s);    // 案件查询
void add_admin_pages(Router& r, Services& s);     // users, agencies
void add_report_pages(Router& r, Services& s);    // the annual report, its drill-down, statistics
void add_template_pages(Router& r,
                        Services& s);  // letter templates, the lifecycle, the audit trail

}  // namespace ogi::http
