<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AccountScreen</name>
    <message>
        <location filename="../patron/account.py" line="23"/>
        <source>Gia hạn tất cả</source>
        <translation>Renew all</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="33"/>
        <source>Mượn sách</source>
        <translation>Borrow</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="34"/>
        <source>Tìm sách</source>
        <translation>Find books</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="35"/>
        <source>Đăng xuất</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="40"/>
        <source>Tài khoản: %1</source>
        <translation>Account: %1</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="62"/>
        <source>Sách đang mượn (%1)</source>
        <translation>Books on loan (%1)</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="64"/>
        <source>Bạn không có sách đang mượn.</source>
        <translation>You have no books on loan.</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="66"/>
        <source>Hạn trả: %1</source>
        <translation>Due: %1</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="68"/>
        <source>quá hạn %1 ngày</source>
        <translation>%1 days overdue</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="71"/>
        <source>Gia hạn</source>
        <translation>Renew</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="74"/>
        <source>Sách đặt trước (%1)</source>
        <translation>Holds (%1)</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="77"/>
        <source>Đã có sách, mời nhận tại quầy đến hết ngày %1</source>
        <translation>Ready: collect at the desk by %1</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="81"/>
        <source>Thứ tự chờ: %1</source>
        <translation>Queue position: %1</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="86"/>
        <source>Yêu cầu (%1)</source>
        <translation>Requests (%1)</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="96"/>
        <source>Đã gia hạn. Hạn trả mới: %1</source>
        <translation>Renewed. New due date: %1</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="110"/>
        <source>Đã gia hạn %1 cuốn.</source>
        <translation>Renewed %1 item(s).</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="112"/>
        <source>Không gia hạn được %1 cuốn.</source>
        <translation>%1 item(s) could not be renewed.</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <location filename="../patron/attract.py" line="33"/>
        <source>Sách mới về</source>
        <translation>New arrivals</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="43"/>
        <source>Quét thẻ để mượn sách</source>
        <translation>Scan your card to borrow</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="45"/>
        <source>Trả sách</source>
        <translation>Return books</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="46"/>
        <source>Tìm sách</source>
        <translation>Find books</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="47"/>
        <source>Tài khoản của tôi</source>
        <translation>My account</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="68"/>
        <source>Giờ mở cửa: %1</source>
        <translation>Opening hours: %1</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="96"/>
        <source>Quét thẻ để mượn sách, chọn Trả sách hoặc Tìm sách.</source>
        <translation>Scan your card to borrow, or choose Return books or Find books.</translation>
    </message>
</context>
<context>
    <name>BorrowScreen</name>
    <message>
        <location filename="../patron/borrow.py" line="30"/>
        <source>Quét mã vạch trên từng cuốn sách bạn muốn mượn.</source>
        <translation>Scan the barcode of each book you want to borrow.</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="40"/>
        <source>Tài khoản của tôi</source>
        <translation>My account</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="41"/>
        <source>Xong, không in phiếu</source>
        <translation>Done, no slip</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="42"/>
        <source>Xong, in phiếu</source>
        <translation>Done, print slip</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="49"/>
        <source>Xin chào, %1</source>
        <translation>Hello, %1</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="67"/>
        <source>Đang xử lý…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="72"/>
        <source>Hạn trả: %1</source>
        <translation>Due: %1</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="86"/>
        <source>Đã mượn %1 cuốn trong lần này.</source>
        <translation>%1 item(s) borrowed this time.</translation>
    </message>
</context>
<context>
    <name>GoodbyeScreen</name>
    <message>
        <location filename="../patron/goodbye.py" line="23"/>
        <source>Cảm ơn bạn! Hẹn gặp lại.</source>
        <translation>Thank you! See you again.</translation>
    </message>
    <message>
        <location filename="../patron/goodbye.py" line="31"/>
        <source>Về màn hình chính</source>
        <translation>Back to start</translation>
    </message>
    <message>
        <location filename="../patron/goodbye.py" line="38"/>
        <source>Hạn trả: %1</source>
        <translation>Due: %1</translation>
    </message>
    <message>
        <location filename="../patron/goodbye.py" line="40"/>
        <source>Phiếu mượn đang được in. Vui lòng nhận phiếu.</source>
        <translation>Your slip is printing. Please take it.</translation>
    </message>
    <message>
        <location filename="../patron/goodbye.py" line="42"/>
        <source>Không in phiếu. Bạn có thể xem hạn trả trong Tài khoản của tôi.</source>
        <translation>No slip printed. Due dates are in My account.</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <location filename="../patron/identify.py" line="37"/>
        <source>Quét thẻ bạn đọc</source>
        <translation>Scan your library card</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="39"/>
        <source>Đưa mã vạch trên thẻ vào máy quét. Hoặc nhập số thẻ và mã PIN bằng bàn phím số.</source>
        <translation>Hold the barcode on your card under the scanner, or type your card number and PIN on the keypad.</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="43"/>
        <location filename="../patron/identify.py" line="47"/>
        <source>Số thẻ</source>
        <translation>Card number</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="45"/>
        <location filename="../patron/identify.py" line="49"/>
        <source>Mã PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="61"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="62"/>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="98"/>
        <source>Vui lòng nhập số thẻ và mã PIN.</source>
        <translation>Please enter your card number and PIN.</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="107"/>
        <source>Đang kiểm tra thẻ…</source>
        <translation>Checking your card…</translation>
    </message>
</context>
<context>
    <name>ProtectedArea</name>
    <message>
        <location filename="../staff_area.py" line="51"/>
        <source>Khu vực nhân viên</source>
        <translation>Staff area</translation>
    </message>
    <message>
        <location filename="../staff_area.py" line="51"/>
        <source>Khu vực kỹ thuật</source>
        <translation>Technician area</translation>
    </message>
    <message>
        <location filename="../staff_area.py" line="75"/>
        <source>Khu vực này chưa có trong phiên bản phần mềm này. Thủ thư vẫn làm được các việc này bằng lệnh kiosk trên máy quầy.</source>
        <translation>This area is not in this version yet. Librarians can do this work with the kiosk command on the counter computer.</translation>
    </message>
    <message>
        <location filename="../staff_area.py" line="78"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>RecordScreen</name>
    <message>
        <location filename="../patron/record.py" line="19"/>
        <source>Đang cho mượn, hạn trả %1</source>
        <translation>On loan, due %1</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="22"/>
        <source>Đang giữ cho bạn đọc đã đặt trước</source>
        <translation>Held for a patron who reserved it</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="24"/>
        <source>Có trên giá</source>
        <translation>On the shelf</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="25"/>
        <source>Không cho mượn lúc này</source>
        <translation>Not lendable now</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="46"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="47"/>
        <source>Đặt trước</source>
        <translation>Place hold</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="48"/>
        <source>Gửi qua bưu điện</source>
        <translation>Send by post</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="49"/>
        <source>Sao chụp từ xa</source>
        <translation>Remote copy</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="50"/>
        <source>Xem tài liệu số</source>
        <translation>View digital copy</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="74"/>
        <source>Thư viện này không có bản nào của sách này.</source>
        <translation>This library has no copy of this title.</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="95"/>
        <source>Đã đặt trước. Thứ tự chờ của bạn: %1. Thư viện sẽ giữ sách khi có bản trả về.</source>
        <translation>Hold placed. Your place in the queue: %1. The library will keep a copy for you when one comes back.</translation>
    </message>
</context>
<context>
    <name>RequestScreen</name>
    <message>
        <location filename="../patron/request_form.py" line="34"/>
        <source>Gửi yêu cầu</source>
        <translation>Send request</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="36"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="49"/>
        <source>Gửi sách qua bưu điện</source>
        <translation>Postal delivery</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="50"/>
        <source>Địa chỉ nhận sách:</source>
        <translation>Delivery address:</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="53"/>
        <source>Sao chụp từ xa</source>
        <translation>Remote copy</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="54"/>
        <source>Các trang cần sao chụp (ví dụ: 12-20):</source>
        <translation>Pages to copy (for example 12-20):</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="69"/>
        <source>Đã gửi yêu cầu (%1). Thư viện sẽ liên hệ với bạn.</source>
        <translation>Request sent (%1). The library will contact you.</translation>
    </message>
</context>
<context>
    <name>ReturnScreen</name>
    <message>
        <location filename="../patron/returns.py" line="23"/>
        <source>Trả sách</source>
        <translation>Return books</translation>
    </message>
    <message>
        <location filename="../patron/returns.py" line="24"/>
        <source>Quét mã vạch trên từng cuốn sách bạn trả. Không cần thẻ.</source>
        <translation>Scan the barcode of each book you return. No card needed.</translation>
    </message>
    <message>
        <location filename="../patron/returns.py" line="32"/>
        <source>Xong</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../patron/returns.py" line="33"/>
        <source>Xong, in phiếu trả</source>
        <translation>Done, print receipt</translation>
    </message>
    <message>
        <location filename="../patron/returns.py" line="51"/>
        <source>Đang xử lý…</source>
        <translation>Working…</translation>
    </message>
</context>
<context>
    <name>Screen</name>
    <message>
        <location filename="../patron/base.py" line="46"/>
        <source>Có lỗi xảy ra. Vui lòng thử lại hoặc gặp thủ thư.</source>
        <translation>Something went wrong. Please try again or see the librarian.</translation>
    </message>
</context>
<context>
    <name>SearchScreen</name>
    <message>
        <location filename="../patron/search.py" line="25"/>
        <source>Có sẵn %1</source>
        <translation>%1 available</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="27"/>
        <source>Đang cho mượn %1</source>
        <translation>%1 on loan</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="29"/>
        <source>Đang giữ chỗ %1</source>
        <translation>%1 on hold shelf</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="31"/>
        <source>Thư viện này không có bản nào</source>
        <translation>No copy in this library</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="44"/>
        <source>Tìm sách</source>
        <translation>Find books</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="46"/>
        <source>Tên sách, tác giả, chủ đề… (gõ không dấu cũng được)</source>
        <translation>Title, author, subject… (accents optional)</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="89"/>
        <source>Không tìm thấy sách nào cho “%1”.</source>
        <translation>No books found for “%1”.</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="91"/>
        <source>%1 kết quả</source>
        <translation>%1 results</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <location filename="../shell.py" line="63"/>
        <source>Thư viện xã</source>
        <translation>Commune library</translation>
    </message>
    <message>
        <location filename="../shell.py" line="91"/>
        <location filename="../shell.py" line="141"/>
        <source>⌂ Màn hình chính</source>
        <translation>⌂ Start</translation>
    </message>
    <message>
        <location filename="../shell.py" line="94"/>
        <source>Máy quét mô phỏng: gõ mã rồi Enter</source>
        <translation>Simulated scanner: type a code, press Enter</translation>
    </message>
    <message>
        <location filename="../shell.py" line="100"/>
        <source>Nhân viên</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../shell.py" line="101"/>
        <source>A+ Chữ to</source>
        <translation>A+ Large text</translation>
    </message>
    <message>
        <location filename="../shell.py" line="102"/>
        <source>◐ Tương phản</source>
        <translation>◐ Contrast</translation>
    </message>
    <message>
        <location filename="../shell.py" line="103"/>
        <source>Đọc to</source>
        <translation>Read aloud</translation>
    </message>
    <message>
        <location filename="../shell.py" line="141"/>
        <source>Khóa và thoát</source>
        <translation>Lock and leave</translation>
    </message>
    <message>
        <location filename="../shell.py" line="188"/>
        <source>Tự thoát sau %1 giây</source>
        <translation>Signing out in %1 s</translation>
    </message>
</context>
<context>
    <name>VietnameseKeyboard</name>
    <message>
        <location filename="../keys.py" line="91"/>
        <source>Dấu cách</source>
        <translation>Space</translation>
    </message>
</context>
<context>
    <name>ViewerScreen</name>
    <message>
        <location filename="../patron/viewer.py" line="54"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../patron/viewer.py" line="55"/>
        <source>◀ Trang trước</source>
        <translation>◀ Previous</translation>
    </message>
    <message>
        <location filename="../patron/viewer.py" line="56"/>
        <source>Trang sau ▶</source>
        <translation>Next ▶</translation>
    </message>
    <message>
        <location filename="../patron/viewer.py" line="95"/>
        <source>Tài liệu ở địa chỉ: %1</source>
        <translation>The document is at: %1</translation>
    </message>
    <message>
        <location filename="../patron/viewer.py" line="102"/>
        <source>Máy này chưa xem được tệp PDF. Tài liệu: %1 — hãy hỏi thủ thư.</source>
        <translation>This kiosk cannot show PDF files yet. Document: %1 — please ask the librarian.</translation>
    </message>
    <message>
        <location filename="../patron/viewer.py" line="121"/>
        <source>Đã đến trang cuối.</source>
        <translation>This is the last page.</translation>
    </message>
    <message>
        <location filename="../patron/viewer.py" line="123"/>
        <source>Không mở được tài liệu này.</source>
        <translation>This document cannot be opened.</translation>
    </message>
</context>
</TS>
