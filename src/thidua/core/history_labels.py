"""Readable Vietnamese for ActionLog action codes, shown in object histories (_history.html)
and the admin's action log.

WORKFLOW_LABELS covers the codes of campaigns, reporting, participation, organizations and
core. Awards keep their own registry (being built with the dossier work); when both are in,
`LABELS` is their union. Codes not listed fall back to a label built from the verb."""

WORKFLOW_LABELS: dict[str, str] = {
    # campaigns
    "campaigns.campaign.imported": "Tạo dự thảo từ văn bản",
    "campaigns.campaign.updated": "Sửa thông tin kế hoạch",
    "campaigns.campaign.copied": "Sao chép từ kế hoạch khác",
    "campaigns.campaign.issued": "Ban hành kế hoạch",
    "campaigns.campaign.started": "Chuyển sang triển khai",
    "campaigns.campaign.interim_begun": "Bắt đầu sơ kết",
    "campaigns.campaign.interim_ended": "Kết thúc sơ kết",
    "campaigns.campaign.final_begun": "Bắt đầu tổng kết",
    "campaigns.campaign.closed": "Kết thúc phong trào",
    "campaigns.sections.replaced": "Sửa nội dung kế hoạch",
    "campaigns.forms.replaced": "Sửa hình thức tổ chức",
    "campaigns.criteria.replaced": "Sửa tiêu chí, chỉ tiêu",
    "campaigns.award_forms.replaced": "Sửa hình thức khen thưởng",
    "campaigns.recipients.replaced": "Sửa nơi nhận",
    "campaigns.plan.saved": "Lưu toàn bộ kế hoạch",
    "campaigns.assignment.created": "Giao nhiệm vụ",
    "campaigns.assignment.updated": "Sửa nhiệm vụ",
    "campaigns.assignment.acknowledged": "Tiếp nhận nhiệm vụ",
    "campaigns.assignment.done": "Hoàn thành nhiệm vụ",
    "campaigns.assignment.assigned": "Mở lại nhiệm vụ",
    "campaigns.delivery.opened": "Đơn vị mở kế hoạch",
    "campaigns.delivery.acknowledged": "Đơn vị xác nhận đã tiếp nhận",
    # reporting
    "reporting.template.created": "Tạo mẫu báo cáo",
    "reporting.request.sent": "Gửi yêu cầu báo cáo",
    "reporting.report.draft_saved": "Lưu bản nháp báo cáo",
    "reporting.report.figures_imported": "Nhập số liệu từ Excel",
    "reporting.report.files_attached": "Đính kèm tệp",
    "reporting.report.sent_for_approval": "Gửi thủ trưởng duyệt",
    "reporting.report.submitted": "Duyệt và nộp báo cáo",
    "reporting.report.accepted": "Tiếp nhận báo cáo",
    "reporting.report.returned": "Trả lại báo cáo",
    "reporting.urging_letter.issued": "Ban hành công văn đôn đốc",
    "reporting.aggregate.build_started": "Bắt đầu lập báo cáo tổng hợp",
    "reporting.aggregate.built": "Lập báo cáo tổng hợp",
    "reporting.aggregate.rebuilt": "Lập lại báo cáo tổng hợp",
    "reporting.aggregate.edited": "Sửa báo cáo tổng hợp",
    "reporting.digest.sent": "Gửi thư tổng hợp",
    # participation
    "participation.registration.created": "Lập đăng ký thi đua",
    "participation.registration.updated": "Sửa đăng ký thi đua",
    "participation.registration.sent_for_approval": "Gửi thủ trưởng duyệt đăng ký",
    "participation.registration.submitted": "Duyệt và gửi đăng ký",
    "participation.registration.returned": "Trả lại đăng ký",
    "participation.registration.reminded": "Nhắc đơn vị chưa đăng ký",
    "participation.pledge.signed": "Ký giao ước thi đua",
    "participation.pledge.updated": "Sửa giao ước thi đua",
    "participation.activity.recorded": "Ghi nhận hoạt động",
    "participation.activity.updated": "Sửa hoạt động",
    "participation.evidence.deleted": "Xóa minh chứng",
    "participation.good_model.proposed": "Đề xuất mô hình hay",
    "participation.good_model.resubmitted": "Gửi lại mô hình hay",
    "participation.good_model.accepted": "Công nhận mô hình hay",
    "participation.good_model.declined": "Không công nhận mô hình hay",
    "participation.good_model.needs_info": "Yêu cầu bổ sung mô hình hay",
    "participation.good_model.adopted": "Nhân rộng mô hình hay",
    "participation.difficulty.raised": "Phản ánh khó khăn, vướng mắc",
    "participation.difficulty.answered": "Trả lời khó khăn, vướng mắc",
    "participation.difficulty.forwarded": "Trình lãnh đạo cho ý kiến",
    "participation.difficulty.closed": "Đóng khó khăn, vướng mắc",
    # organizations and accounts
    "organizations.unit.created": "Thêm đơn vị",
    "organizations.unit.updated": "Sửa thông tin đơn vị",
    "organizations.unit.merged": "Sáp nhập đơn vị",
    "organizations.person.created": "Thêm cá nhân",
    "organizations.person.updated": "Sửa thông tin cá nhân",
    "organizations.role.granted": "Giao vai trò",
    "organizations.role.revoked": "Thu hồi vai trò",
    "organizations.block.created": "Tạo khối thi đua",
    "organizations.block.updated": "Sửa khối thi đua",
    "accounts.user.created": "Tạo tài khoản",
    "accounts.user.activated": "Mở khóa tài khoản",
    "accounts.user.deactivated": "Khóa tài khoản",
    "accounts.totp.confirmed": "Kích hoạt xác thực hai lớp",
    # notifications
    "notifications.preference.updated": "Đổi tùy chọn nhận thư",
    # core
    "core.document.numbered": "Cấp số văn bản",
    "core.exported": "Xuất dữ liệu ra Excel",
    "core.export.started": "Bắt đầu xuất dữ liệu",
    "core.import.started": "Bắt đầu nhập dữ liệu",
}

LABELS: dict[str, str] = {**WORKFLOW_LABELS}

VERBS = {
    "created": "Tạo mới",
    "updated": "Cập nhật",
    "edited": "Chỉnh sửa",
    "deleted": "Xóa",
    "submitted": "Gửi",
    "returned": "Trả lại",
    "accepted": "Tiếp nhận",
    "approved": "Phê duyệt",
    "issued": "Ban hành",
    "imported": "Nhập dữ liệu",
    "closed": "Kết thúc",
    "opened": "Mở",
    "saved": "Lưu",
}


def action_label(code: str) -> str:
    """“Ban hành kế hoạch” for campaigns.campaign.issued; an unknown code gets its verb."""
    if code in LABELS:
        return LABELS[code]
    verb = code.rsplit(".", 1)[-1]
    return VERBS.get(verb, code)
