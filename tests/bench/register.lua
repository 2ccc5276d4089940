-- wrk script: POST a registration (contract JSON) with the bearer token from the environment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("OGI_TOKEN")
wrk.body = '{"agency":"G01","applicant":{"type":"natural_person","name":"张三","id_number":"11010519491231002X","phone":"13800138000"},"channel":"post","received_on":"2026-11-02","content":"申请公开某项目的批复文件及附件"}'
