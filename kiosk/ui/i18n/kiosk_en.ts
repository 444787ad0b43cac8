<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AccountScreen</name>
    <message>
        <location filename="../patron/account.py" line="25"/>
        <source>Gia hạn tất cả</source>
        <translation>Renew all</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="35"/>
        <source>Mượn sách</source>
        <translation>Borrow</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="36"/>
        <source>Tìm sách</source>
        <translation>Find books</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="37"/>
        <source>Đăng xuất</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="42"/>
        <source>Tài khoản: %1</source>
        <translation>Account: %1</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="58"/>
        <source>Gợi ý cho bạn</source>
        <translation>Suggested for you</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="77"/>
        <source>Sách đang mượn (%1)</source>
        <translation>Books on loan (%1)</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="79"/>
        <source>Bạn không có sách đang mượn.</source>
        <translation>You have no books on loan.</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="81"/>
        <source>Hạn trả: %1</source>
        <translation>Due: %1</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="83"/>
        <source>quá hạn %1 ngày</source>
        <translation>%1 days overdue</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="86"/>
        <source>Gia hạn</source>
        <translation>Renew</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="89"/>
        <source>Sách đặt trước (%1)</source>
        <translation>Holds (%1)</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="92"/>
        <source>Đã có sách, mời nhận tại quầy đến hết ngày %1</source>
        <translation>Ready: collect at the desk by %1</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="96"/>
        <source>Thứ tự chờ: %1</source>
        <translation>Queue position: %1</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="101"/>
        <source>Yêu cầu (%1)</source>
        <translation>Requests (%1)</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="111"/>
        <source>Đã gia hạn. Hạn trả mới: %1</source>
        <translation>Renewed. New due date: %1</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="125"/>
        <source>Đã gia hạn %1 cuốn.</source>
        <translation>Renewed %1 item(s).</translation>
    </message>
    <message>
        <location filename="../patron/account.py" line="127"/>
        <source>Không gia hạn được %1 cuốn.</source>
        <translation>%1 item(s) could not be renewed.</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <location filename="../patron/attract.py" line="47"/>
        <source>Đổi ngôn ngữ hiển thị</source>
        <translation>Change the display language</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="64"/>
        <source>Sách mới về</source>
        <translation>New arrivals</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="78"/>
        <source>Trả sách này</source>
        <translation>Return this book</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="79"/>
        <source>Xem thông tin sách</source>
        <translation>See this book&apos;s details</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="80"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="90"/>
        <source>Quét thẻ để mượn sách</source>
        <translation>Scan your card to borrow</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="92"/>
        <source>Trả sách</source>
        <translation>Return books</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="93"/>
        <source>Tìm sách</source>
        <translation>Find books</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="94"/>
        <source>Tài khoản của tôi</source>
        <translation>My account</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="115"/>
        <source>Giờ mở cửa: %1</source>
        <translation>Opening hours: %1</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="148"/>
        <source>Bạn vừa quét sách “%1”. Bạn muốn trả sách này, hay xem thông tin sách?</source>
        <translation>You scanned the book “%1”. Do you want to return it, or see its details?</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="150"/>
        <source>Bạn vừa quét sách “%1”. Sách này không có ai đang mượn. Muốn mượn, hãy quét thẻ bạn đọc trước.</source>
        <translation>You scanned the book “%1”. Nobody has it on loan. To borrow it, scan your library card first.</translation>
    </message>
    <message>
        <location filename="../patron/attract.py" line="186"/>
        <source>Quét thẻ để mượn sách, chọn Trả sách hoặc Tìm sách.</source>
        <translation>Scan your card to borrow, or choose Return books or Find books.</translation>
    </message>
</context>
<context>
    <name>BorrowScreen</name>
    <message>
        <location filename="../patron/borrow.py" line="119"/>
        <source>Máy này tạm thời chưa cho mượn sách được. Vui lòng mang sách đến quầy thủ thư.</source>
        <translation>This kiosk cannot lend books just now. Please take your books to the librarian&apos;s desk.</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="50"/>
        <source>Quét mã vạch trên từng cuốn sách bạn muốn mượn.</source>
        <translation>Scan the barcode of each book you want to borrow.</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="62"/>
        <source>Tài khoản của tôi</source>
        <translation>My account</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="63"/>
        <source>Xong, không in phiếu</source>
        <translation>Done, no slip</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="64"/>
        <source>Xong, in phiếu</source>
        <translation>Done, print slip</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="71"/>
        <source>Xin chào, %1</source>
        <translation>Hello, %1</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="90"/>
        <source>Đang xử lý…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="98"/>
        <source>Hạn trả: %1</source>
        <translation>Due: %1</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="122"/>
        <source>Vui lòng để sách ở quầy thủ thư.</source>
        <translation>Please leave the book at the librarian&apos;s desk.</translation>
    </message>
    <message>
        <location filename="../patron/borrow.py" line="127"/>
        <source>Đã mượn %1 cuốn trong lần này.</source>
        <translation>%1 item(s) borrowed this time.</translation>
    </message>
</context>
<context>
    <name>BrowseScreen</name>
    <message>
        <location filename="../patron/browse.py" line="33"/>
        <location filename="../patron/browse.py" line="89"/>
        <source>Duyệt sách theo môn loại</source>
        <translation>Browse the shelves by subject</translation>
    </message>
    <message>
        <location filename="../patron/browse.py" line="52"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../patron/browse.py" line="53"/>
        <source>Xem thêm</source>
        <translation>Show more</translation>
    </message>
    <message>
        <location filename="../patron/browse.py" line="57"/>
        <source>Tìm sách</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../patron/browse.py" line="79"/>
        <source>%1 đầu sách</source>
        <translation>%1 titles</translation>
    </message>
    <message>
        <location filename="../patron/browse.py" line="130"/>
        <source>Thư viện chưa có sách nào thuộc môn loại này.</source>
        <translation>The library has no books in this class yet.</translation>
    </message>
</context>
<context>
    <name>CameraPreview</name>
    <message>
        <location filename="../camera_preview.py" line="28"/>
        <source>Hình ảnh camera</source>
        <translation>Camera picture</translation>
    </message>
</context>
<context>
    <name>CatalogueSearchScreen</name>
    <message>
        <location filename="../staff/search.py" line="25"/>
        <source>Nhan đề, tác giả, chủ đề, ISBN hoặc mã vạch</source>
        <translation>Title, author, subject, ISBN or barcode</translation>
    </message>
    <message>
        <location filename="../staff/search.py" line="29"/>
        <source>Nhan đề</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../staff/search.py" line="29"/>
        <source>Tác giả</source>
        <translation>Author</translation>
    </message>
    <message>
        <location filename="../staff/search.py" line="29"/>
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../staff/search.py" line="30"/>
        <source>DDC</source>
        <translation>DDC</translation>
    </message>
    <message>
        <location filename="../staff/search.py" line="30"/>
        <source>Có sẵn</source>
        <translation>Available</translation>
    </message>
    <message>
        <location filename="../staff/search.py" line="30"/>
        <source>Tổng số bản</source>
        <translation>Copies</translation>
    </message>
    <message>
        <location filename="../staff/search.py" line="33"/>
        <source>Tìm</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../staff/search.py" line="63"/>
        <source>Có phải bạn muốn tìm: %1</source>
        <translation>Did you mean: %1</translation>
    </message>
    <message>
        <location filename="../staff/search.py" line="70"/>
        <source>Không tìm thấy sách nào cho “%1”.</source>
        <translation>No books found for “%1”.</translation>
    </message>
    <message>
        <location filename="../staff/search.py" line="88"/>
        <source>%1 kết quả cho “%2”</source>
        <translation>%1 results for “%2”</translation>
    </message>
    <message>
        <location filename="../staff/search.py" line="91"/>
        <source>%1 kết quả</source>
        <translation>%1 results</translation>
    </message>
    <message>
        <location filename="../staff/search.py" line="93"/>
        <source>(hiện %1 đầu tiên)</source>
        <translation>(the first %1 shown)</translation>
    </message>
</context>
<context>
    <name>CataloguingScreen</name>
    <message>
        <location filename="../staff/cataloguing.py" line="43"/>
        <source>Sách</source>
        <translation>Book</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="44"/>
        <source>Sách thiếu nhi</source>
        <translation>Children&apos;s book</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="45"/>
        <source>Báo – tạp chí</source>
        <translation>Newspaper – magazine</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="46"/>
        <source>Tài liệu nghe nhìn</source>
        <translation>Audiovisual material</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="47"/>
        <source>Tra cứu (đọc tại chỗ)</source>
        <translation>Reference (read in the library)</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="72"/>
        <source>Quét hoặc nhập ISBN</source>
        <translation>Scan or type the ISBN</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="78"/>
        <location filename="../staff/cataloguing.py" line="85"/>
        <source>cách nhau bởi dấu phẩy</source>
        <translation>separated by commas</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="83"/>
        <source>ví dụ 895.9223</source>
        <translation>e.g. 895.9223</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="86"/>
        <location filename="../staff/cataloguing.py" line="169"/>
        <source>Lưu đầu sách</source>
        <translation>Save title</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="88"/>
        <source>Đầu sách</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="93"/>
        <source>Tra cứu</source>
        <translation>Look up</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="94"/>
        <source>Mới</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="95"/>
        <source>ISBN</source>
        <translation>ISBN</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="97"/>
        <source>Nhan đề</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="98"/>
        <source>Tác giả</source>
        <translation>Author</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="99"/>
        <source>Nhà xuất bản</source>
        <translation>Publisher</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="102"/>
        <source>DDC</source>
        <translation>DDC</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="104"/>
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="105"/>
        <source>Chủ đề</source>
        <translation>Subjects</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="109"/>
        <source>Mã vạch bản sách</source>
        <translation>Copy barcode</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="121"/>
        <source>đồng</source>
        <translation>VND</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="123"/>
        <source>Thêm bản sách</source>
        <translation>Add copy</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="124"/>
        <source>In nhãn gáy</source>
        <translation>Print spine labels</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="125"/>
        <location filename="../staff/cataloguing.py" line="130"/>
        <source>Mã vạch</source>
        <translation>Barcode</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="125"/>
        <location filename="../staff/cataloguing.py" line="132"/>
        <source>Loại</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="125"/>
        <location filename="../staff/cataloguing.py" line="134"/>
        <source>Vị trí</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="126"/>
        <source>Ký hiệu xếp giá</source>
        <translation>Call number</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="126"/>
        <source>Tình trạng</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="128"/>
        <source>Bản sách</source>
        <translation>Copies</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="136"/>
        <source>Ký hiệu</source>
        <translation>Call no.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="138"/>
        <source>Giá</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="168"/>
        <source>Lưu thay đổi</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="182"/>
        <source>Mã {code} không phải ISBN. Hãy quét ISBN hoặc mở đầu sách trước khi thêm bản sách.</source>
        <translation>{code} is not an ISBN. Scan an ISBN or open a title before adding copies.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="211"/>
        <source>Đang hỏi mục lục liên hợp trên máy chủ tỉnh…</source>
        <translation>Asking the hub&apos;s union catalogue…</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="233"/>
        <source>Đã có trong thư viện ({n} bản).</source>
        <translation>Already in the library ({n} copies).</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="244"/>
        <source>Chưa có trong thư viện và mục lục liên hợp: nhập thông tin đầu sách mới.</source>
        <translation>Not in this library or the union catalogue: enter the new title.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="248"/>
        <source>Lấy từ mục lục liên hợp của máy chủ tỉnh.</source>
        <translation>Taken from the hub&apos;s union catalogue.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="250"/>
        <source>Lấy từ mục lục liên hợp đã đồng bộ về máy này.</source>
        <translation>Taken from the union catalogue synced to this device.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="252"/>
        <source>Có tại: {where}.</source>
        <translation>Held by: {where}.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="253"/>
        <source>Kiểm tra rồi bấm “Lưu đầu sách”.</source>
        <translation>Check it, then press “Save title”.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="255"/>
        <source>(Máy chủ tỉnh không trả lời.)</source>
        <translation>(The hub did not answer.)</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="304"/>
        <source>Hãy nhập nhan đề.</source>
        <translation>Please enter a title.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="322"/>
        <source>Đã lưu đầu sách mới. Hãy thêm bản sách.</source>
        <translation>New title saved. Now add copies.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="323"/>
        <source>Đã lưu thay đổi.</source>
        <translation>Changes saved.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="333"/>
        <source>Hãy quét mã vạch bản sách.</source>
        <translation>Please scan the copy&apos;s barcode.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="352"/>
        <source>Đã thêm bản sách {code}.</source>
        <translation>Copy {code} added.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="361"/>
        <source>In nhãn gáy ({n} bản vừa thêm)</source>
        <translation>Print spine labels ({n} copies just added)</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="374"/>
        <source>Đã gửi {n} nhãn gáy ra máy in (lệnh số {job}).</source>
        <translation>Sent {n} spine labels to the printer (job {job}).</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="397"/>
        <source>Phiếu biên mục chưa lưu đã được giữ lại: kiểm tra rồi bấm “Lưu”.</source>
        <translation>Your unsaved cataloguing form was kept: check it, then press “Save”.</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="401"/>
        <source>Trên giá</source>
        <translation>On shelf</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="401"/>
        <source>Mất</source>
        <translation>Lost</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="402"/>
        <source>Hư hỏng</source>
        <translation>Damaged</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="402"/>
        <source>Thanh lý</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="403"/>
        <source>Đang sửa</source>
        <translation>In repair</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="403"/>
        <source>Thất lạc</source>
        <translation>Missing</translation>
    </message>
    <message>
        <location filename="../staff/cataloguing.py" line="407"/>
        <source>Đang cho mượn</source>
        <translation>On loan</translation>
    </message>
</context>
<context>
    <name>CirculationScreen</name>
    <message>
        <location filename="../staff/circulation.py" line="59"/>
        <source>Quét hoặc nhập số thẻ bạn đọc</source>
        <translation>Scan or type the patron&apos;s card number</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="62"/>
        <source>Quét mã vạch sách</source>
        <translation>Scan the book&apos;s barcode</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="64"/>
        <location filename="../staff/circulation.py" line="170"/>
        <source>Chưa chọn bạn đọc: quét sách để nhận trả.</source>
        <translation>No patron selected: scan a book to check it in.</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="68"/>
        <location filename="../staff/circulation.py" line="219"/>
        <source>Cho mượn</source>
        <translation>Check out</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="69"/>
        <location filename="../staff/circulation.py" line="233"/>
        <source>Nhận trả</source>
        <translation>Check in</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="70"/>
        <location filename="../staff/circulation.py" line="226"/>
        <source>Gia hạn</source>
        <translation>Renew</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="71"/>
        <source>Bạn đọc khác</source>
        <translation>Next patron</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="72"/>
        <source>In phiếu</source>
        <translation>Print slip</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="76"/>
        <source>Lý do cho phép (bắt buộc)</source>
        <translation>Override reason (required)</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="79"/>
        <source>Cho phép (ghi lý do)</source>
        <translation>Override (give reason)</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="87"/>
        <location filename="../staff/circulation.py" line="89"/>
        <source>Nhan đề</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="87"/>
        <source>Mã vạch</source>
        <translation>Barcode</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="88"/>
        <source>Hạn trả</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="88"/>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="89"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="90"/>
        <source>Hạn nhận</source>
        <translation>Pick up by</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="92"/>
        <location filename="../staff/circulation.py" line="173"/>
        <source>Đang mượn</source>
        <translation>Loans</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="93"/>
        <location filename="../staff/circulation.py" line="174"/>
        <source>Đặt trước</source>
        <translation>Holds</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="96"/>
        <source>Thẻ</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="98"/>
        <source>Sách</source>
        <translation>Book</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="107"/>
        <source>Mượn – trả sách</source>
        <translation>Check out and check in</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="148"/>
        <source>{name} — {category}, thẻ {card}, hạn thẻ {expires}</source>
        <translation>{name} — {category}, card {card}, expires {expires}</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="156"/>
        <source>{n} ngày</source>
        <translation>{n} days</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="158"/>
        <source>Đang chờ (thứ {p})</source>
        <translation>Waiting (#{p})</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="158"/>
        <source>Sách đã về giá</source>
        <translation>On the hold shelf</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="162"/>
        <source>Đang mượn ({n})</source>
        <translation>Loans ({n})</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="163"/>
        <source>Đặt trước ({n})</source>
        <translation>Holds ({n})</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="210"/>
        <source>Hãy quét mã vạch sách trước.</source>
        <translation>Scan the book&apos;s barcode first.</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="255"/>
        <source>Đã {what}: {title} — hạn trả {due}</source>
        <translation>{what}: {title} — due {due}</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="256"/>
        <source>gia hạn</source>
        <translation>Renewed</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="256"/>
        <source>cho mượn</source>
        <translation>Checked out</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="259"/>
        <source> (thủ thư cho phép)</source>
        <translation> (librarian override)</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="271"/>
        <source>Đặt lên giá sách giữ chỗ cho: {name} ({card})</source>
        <translation>Put on the hold shelf for: {name} ({card})</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="274"/>
        <source>Đã trả. Sách quá hạn {n} ngày.</source>
        <translation>Returned. The item was {n} days overdue.</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="276"/>
        <source>Đã trả sách. Cảm ơn bạn!</source>
        <translation>Returned. Thank you!</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="294"/>
        <source>In phiếu mượn ({n})</source>
        <translation>Print loan slip ({n})</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="295"/>
        <source>In phiếu trả ({n})</source>
        <translation>Print return slip ({n})</translation>
    </message>
    <message>
        <location filename="../staff/circulation.py" line="309"/>
        <source>Đã gửi phiếu ra máy in (lệnh số {job}).</source>
        <translation>Slip sent to the printer (job {job}).</translation>
    </message>
</context>
<context>
    <name>ConflictsScreen</name>
    <message>
        <location filename="../staff/conflicts.py" line="18"/>
        <source>Cho mượn</source>
        <translation>Check out</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="19"/>
        <source>Trả</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="20"/>
        <source>Gia hạn</source>
        <translation>Renew</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="21"/>
        <source>Đáp ứng đặt trước</source>
        <translation>Hold filled</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="22"/>
        <source>Đặt trước</source>
        <translation>Hold placed</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="27"/>
        <source>Một bản sách được cho mượn hai lần khi mất kết nối</source>
        <translation>The same copy was lent twice while offline</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="29"/>
        <source>Trả sách không có lượt mượn tương ứng</source>
        <translation>A return with no matching loan</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="31"/>
        <source>Gia hạn sau khi sách đã được trả</source>
        <translation>A renewal after the return</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="32"/>
        <source>Một lượt đặt trước được đáp ứng hai lần</source>
        <translation>A hold filled twice</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="36"/>
        <source>Đã kiểm tra, giữ nguyên</source>
        <translation>Checked, keep as is</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="37"/>
        <source>Giữ lượt mượn đầu tiên</source>
        <translation>Keep the first loan</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="38"/>
        <source>Chuyển cho người mượn sau</source>
        <translation>Give the loan to the later borrower</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="39"/>
        <source>Sách đã được trả: đóng lượt mượn</source>
        <translation>The copy is back: close the loan</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="48"/>
        <source>Loại</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="48"/>
        <source>Bản sách</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="48"/>
        <source>Các sự kiện</source>
        <translation>Events</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="52"/>
        <source>Ghi chú (không bắt buộc)</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="63"/>
        <source>Xung đột cần xử lý</source>
        <translation>Conflicts to resolve</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="64"/>
        <source>Làm mới</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="98"/>
        <source>{n} xung đột chưa xử lý. Chọn một dòng rồi chọn cách xử lý.</source>
        <translation>{n} unresolved conflict(s). Select a row, then choose how to resolve it.</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="100"/>
        <source>Không có xung đột nào cần xử lý.</source>
        <translation>No conflicts to resolve.</translation>
    </message>
    <message>
        <location filename="../staff/conflicts.py" line="127"/>
        <source>Đã xử lý: {label}.</source>
        <translation>Resolved: {label}.</translation>
    </message>
</context>
<context>
    <name>DiagnosticsScreen</name>
    <message>
        <location filename="../technician/diagnostics.py" line="229"/>
        <source>Đồng hồ sai, máy không cho mượn và gia hạn: {status}</source>
        <translation>Wrong clock, this device neither lends nor renews: {status}</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="42"/>
        <source>Đã kết nối</source>
        <translation>Connected</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="43"/>
        <source>Đang kết nối</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="44"/>
        <source>Mất kết nối</source>
        <translation>Disconnected</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="45"/>
        <source>Chưa rõ</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="46"/>
        <source>Đã dừng</source>
        <translation>Stopped</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="54"/>
        <source>Máy quét mã vạch</source>
        <translation>Barcode scanner</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="55"/>
        <source>Đầu đọc thẻ</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="56"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="57"/>
        <source>Máy in phiếu</source>
        <translation>Slip printer</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="58"/>
        <source>Cắm nóng thiết bị</source>
        <translation>Device hot-plug</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="61"/>
        <source>chưa khởi động</source>
        <translation>not started</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="62"/>
        <source>đã dừng</source>
        <translation>stopped</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="63"/>
        <source>giả lập bàn phím: giao diện đọc phím gõ</source>
        <translation>keyboard wedge: read by the interface&apos;s key filter</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="65"/>
        <source>chưa cài phần hỗ trợ camera (gói commune-library-kiosk[camera])</source>
        <translation>camera support is not installed (package commune-library-kiosk[camera])</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="67"/>
        <source>do hàng đợi in quản lý</source>
        <translation>managed by the print queue</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="69"/>
        <source>cắm nóng: tắt trong cấu hình</source>
        <translation>hot-plug: disabled in the configuration</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="71"/>
        <source>cắm nóng: không dùng được (không có bộ theo dõi)</source>
        <translation>hot-plug: unavailable (no monitor)</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="73"/>
        <source>cắm nóng: chưa khởi động</source>
        <translation>hot-plug: not started</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="74"/>
        <source>cắm nóng: không dùng được (chưa cài pyudev)</source>
        <translation>hot-plug: unavailable (pyudev not installed)</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="76"/>
        <source>cắm nóng: đã dừng</source>
        <translation>hot-plug: stopped</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="79"/>
        <source>không mở được {rest}</source>
        <translation>cannot open {rest}</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="80"/>
        <source>mất kết nối {rest}</source>
        <translation>lost {rest}</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="81"/>
        <source>đã hết hình từ {rest}</source>
        <translation>no more frames from {rest}</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="82"/>
        <source>cắm nóng: đang theo dõi udev {rest}</source>
        <translation>hot-plug: watching udev {rest}</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="84"/>
        <source>cắm nóng: không dùng được {rest}</source>
        <translation>hot-plug: unavailable {rest}</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="119"/>
        <source> (tắt)</source>
        <translation> (down)</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="126"/>
        <location filename="../technician/diagnostics.py" line="140"/>
        <source>Thiết bị</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="126"/>
        <source>Tên</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="127"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="127"/>
        <source>Chi tiết</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="130"/>
        <source>In trang thử</source>
        <translation>Print test page</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="131"/>
        <source>Quét một mã vạch hoặc chạm thẻ để thử.</source>
        <translation>Scan a barcode or tap a card to test.</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="135"/>
        <source>Giao diện</source>
        <translation>Interface</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="135"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="147"/>
        <source>Thử máy quét / đầu đọc thẻ:</source>
        <translation>Test the scanner / card reader:</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="151"/>
        <source>Hệ thống</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="163"/>
        <source>Kiểm tra lại</source>
        <translation>Check again</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="176"/>
        <source>Chưa cấu hình thiết bị nhập</source>
        <translation>No input device configured</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="196"/>
        <source>Máy in: chưa cấu hình.</source>
        <translation>Printer: not configured.</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="199"/>
        <source>Máy in: {status} Phiếu chờ in: {n}.</source>
        <translation>Printer: {status} Slips waiting: {n}.</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="205"/>
        <source>chưa đồng bộ</source>
        <translation>not synced yet</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="207"/>
        <location filename="../technician/diagnostics.py" line="208"/>
        <source>Đồng bộ: {status}</source>
        <translation>Sync: {status}</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="209"/>
        <source>Máy chủ tỉnh: {url}</source>
        <translation>Hub: {url}</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="210"/>
        <source>chưa đặt</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="211"/>
        <source>Ổ đĩa ({folder}): còn trống {free} / {total} ({pct}%)</source>
        <translation>Disk ({folder}): {free} free of {total} ({pct}%)</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="214"/>
        <source>Phiên bản: kiosk {kiosk} · Python {py} · Qt {qt} (PySide6 {pyside}) · SQLite {sqlite} · lược đồ CSDL {schema}</source>
        <translation>Versions: kiosk {kiosk} · Python {py} · Qt {qt} (PySide6 {pyside}) · SQLite {sqlite} · database schema {schema}</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="235"/>
        <source>Chưa cấu hình máy in.</source>
        <translation>No printer configured.</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="240"/>
        <source>Đã gửi trang in thử (lệnh số {job}).</source>
        <translation>Test page sent (job {job}).</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="246"/>
        <source>Vừa đọc: {text}</source>
        <translation>Just read: {text}</translation>
    </message>
    <message>
        <location filename="../technician/diagnostics.py" line="247"/>
        <source>Trước đó: </source>
        <translation>Earlier: </translation>
    </message>
</context>
<context>
    <name>ExportRejectedDialog</name>
    <message>
        <location filename="../staff/importing.py" line="62"/>
        <source>Xuất các dòng bị từ chối</source>
        <translation>Export the rejected rows</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="75"/>
        <source>Xuất</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="76"/>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="78"/>
        <source>Chọn nơi lưu (cắm USB vào máy nếu cần):</source>
        <translation>Choose where to save (plug in a USB stick if needed):</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="82"/>
        <source>Tên tệp:</source>
        <translation>File name:</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="96"/>
        <source>Chưa có nơi lưu: hãy cắm USB vào máy.</source>
        <translation>Nowhere to save: plug in a USB stick.</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="99"/>
        <source>Tên tệp không được trống hay chứa / \ : * ? &quot; &lt; &gt; |</source>
        <translation>The file name must not be empty or contain / \ : * ? &quot; &lt; &gt; |</translation>
    </message>
</context>
<context>
    <name>FilePlaces</name>
    <message>
        <location filename="../staff/file_places.py" line="41"/>
        <source>USB «%1»</source>
        <translation>USB stick “%1”</translation>
    </message>
    <message>
        <location filename="../staff/file_places.py" line="42"/>
        <source>Thư mục Tải về</source>
        <translation>Downloads folder</translation>
    </message>
</context>
<context>
    <name>FilterPanel</name>
    <message>
        <location filename="../patron/search_filters.py" line="37"/>
        <source>Còn sách</source>
        <translation>Available now</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="39"/>
        <source>Chỉ hiện sách đang có trên giá ở thư viện này</source>
        <translation>Show only books on the shelf in this library now</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="41"/>
        <source>Bỏ lọc</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="42"/>
        <source>Hiện lại mọi kết quả</source>
        <translation>Show every result again</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="43"/>
        <source>Bàn phím</source>
        <translation>Keyboard</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="44"/>
        <source>Đóng bộ lọc để gõ tiếp</source>
        <translation>Close the filters to type more</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="48"/>
        <location filename="../patron/search_filters.py" line="94"/>
        <source>Chủ đề</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="50"/>
        <location filename="../patron/search_filters.py" line="96"/>
        <source>Năm xuất bản</source>
        <translation>Year published</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="63"/>
        <source>Trước %1</source>
        <translation>Before %1</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="65"/>
        <source>Từ %1</source>
        <translation>From %1</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="82"/>
        <source>Tất cả chủ đề</source>
        <translation>All subjects</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="86"/>
        <source>Mọi năm</source>
        <translation>Any year</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="95"/>
        <source>Chủ đề: không có trong các kết quả</source>
        <translation>Subject: none among the results</translation>
    </message>
    <message>
        <location filename="../patron/search_filters.py" line="97"/>
        <source>Năm xuất bản: không có trong các kết quả</source>
        <translation>Year published: none among the results</translation>
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
    <name>HoldsOverdueScreen</name>
    <message>
        <location filename="../staff/holds_overdue.py" line="17"/>
        <location filename="../staff/holds_overdue.py" line="20"/>
        <location filename="../staff/holds_overdue.py" line="33"/>
        <source>Nhan đề</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="17"/>
        <location filename="../staff/holds_overdue.py" line="20"/>
        <location filename="../staff/holds_overdue.py" line="34"/>
        <source>Mã vạch</source>
        <translation>Barcode</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="18"/>
        <source>Giữ cho</source>
        <translation>Held for</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="18"/>
        <location filename="../staff/holds_overdue.py" line="33"/>
        <source>Thẻ</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="18"/>
        <source>Hạn nhận</source>
        <translation>Pick up by</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="19"/>
        <source>Xử lý hết hạn</source>
        <translation>Clear expired</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="21"/>
        <source>Việc cần làm</source>
        <translation>To do</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="26"/>
        <source>Sách đang giữ chỗ chờ bạn đọc đến nhận.</source>
        <translation>Books on the hold shelf, waiting for patrons to collect.</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="27"/>
        <source>Làm mới</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="33"/>
        <source>Bạn đọc</source>
        <translation>Patron</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="34"/>
        <source>Hạn trả</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="35"/>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="43"/>
        <source>Giá giữ chỗ</source>
        <translation>Hold shelf</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="44"/>
        <source>Sách quá hạn</source>
        <translation>Overdue books</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="64"/>
        <source>Giá giữ chỗ ({n})</source>
        <translation>Hold shelf ({n})</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="68"/>
        <source>{n} ngày</source>
        <translation>{n} days</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="70"/>
        <source>Sách quá hạn ({n})</source>
        <translation>Overdue books ({n})</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="72"/>
        <source>{n} lượt mượn quá hạn, lâu nhất {d} ngày.</source>
        <translation>{n} overdue loan(s), longest {d} days.</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="74"/>
        <source>Không có sách quá hạn.</source>
        <translation>No overdue books.</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="84"/>
        <source>Đã xử lý {n} lượt giữ chỗ hết hạn: làm theo bảng dưới.</source>
        <translation>Cleared {n} expired hold(s): follow the table below.</translation>
    </message>
    <message>
        <location filename="../staff/holds_overdue.py" line="85"/>
        <source>Không có lượt giữ chỗ nào hết hạn.</source>
        <translation>No expired holds.</translation>
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
        <location filename="../patron/identify.py" line="51"/>
        <source>Số thẻ</source>
        <translation>Card number</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="45"/>
        <location filename="../patron/identify.py" line="49"/>
        <location filename="../patron/identify.py" line="53"/>
        <source>Mã PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="47"/>
        <source>Số thẻ bạn đọc</source>
        <translation>Library card number</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="48"/>
        <source>Quét thẻ, hoặc nhập số thẻ bằng bàn phím số</source>
        <translation>Scan your card, or type its number on the keypad</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="50"/>
        <source>Mã PIN của thẻ, nhập bằng bàn phím số</source>
        <translation>The card&apos;s PIN, typed on the keypad</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="65"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="66"/>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="102"/>
        <source>Vui lòng nhập số thẻ và mã PIN.</source>
        <translation>Please enter your card number and PIN.</translation>
    </message>
    <message>
        <location filename="../patron/identify.py" line="111"/>
        <source>Đang kiểm tra thẻ…</source>
        <translation>Checking your card…</translation>
    </message>
</context>
<context>
    <name>ImportFileDialog</name>
    <message>
        <location filename="../staff/file_places.py" line="103"/>
        <source>Chọn tệp biên mục</source>
        <translation>Choose a catalogue file</translation>
    </message>
    <message>
        <location filename="../staff/file_places.py" line="108"/>
        <source>Nơi có tệp</source>
        <translation>Where the files are</translation>
    </message>
    <message>
        <location filename="../staff/file_places.py" line="110"/>
        <source>Các tệp có thể nhập</source>
        <translation>Files that can be imported</translation>
    </message>
    <message>
        <location filename="../staff/file_places.py" line="114"/>
        <source>Nhập tệp này</source>
        <translation>Import this file</translation>
    </message>
    <message>
        <location filename="../staff/file_places.py" line="115"/>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../staff/file_places.py" line="119"/>
        <source>Chọn USB hoặc thư mục Tải về, rồi chọn tệp MARC21 (.mrc), MARCXML (.xml) hoặc CSV (.csv):</source>
        <translation>Choose the USB stick or the Downloads folder, then a MARC21 (.mrc), MARCXML (.xml) or CSV (.csv) file:</translation>
    </message>
    <message>
        <location filename="../staff/file_places.py" line="126"/>
        <source>Làm mới</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../staff/file_places.py" line="153"/>
        <source>Chưa cắm USB: cắm USB có tệp cần nhập vào máy rồi bấm Làm mới, hoặc chọn tệp trong thư mục Tải về.</source>
        <translation>No USB stick inserted: plug in the stick with the file to import and press Refresh, or choose a file in the Downloads folder.</translation>
    </message>
    <message>
        <location filename="../staff/file_places.py" line="170"/>
        <source>Ở đây không có tệp MARC21, MARCXML hay CSV nào.</source>
        <translation>There is no MARC21, MARCXML or CSV file here.</translation>
    </message>
    <message>
        <location filename="../staff/file_places.py" line="177"/>
        <source>Chưa chọn tệp nào.</source>
        <translation>No file chosen.</translation>
    </message>
    <message>
        <location filename="../staff/file_places.py" line="182"/>
        <source>Không mở được tệp này (USB đã rút ra, hoặc tệp là liên kết ra ngoài USB). Hãy bấm Làm mới.</source>
        <translation>This file cannot be opened (the USB stick was removed, or the file is a link to outside the stick). Press Refresh.</translation>
    </message>
</context>
<context>
    <name>ImportScreen</name>
    <message>
        <location filename="../staff/importing.py" line="116"/>
        <source>Chưa chọn tệp.</source>
        <translation>No file chosen.</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="118"/>
        <source>Chọn tệp và nhập…</source>
        <translation>Choose a file and import…</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="119"/>
        <source>Xuất các dòng bị từ chối…</source>
        <translation>Export the rejected rows…</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="131"/>
        <source>Các dòng bị từ chối và các cảnh báo sẽ hiện ở đây, kèm vị trí và lý do.</source>
        <translation>Rejected rows and warnings will appear here, with their place and reason.</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="143"/>
        <source>Nhập biên mục từ tệp</source>
        <translation>Import catalogue records from a file</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="145"/>
        <source>Tệp MARC21 (.mrc), MARCXML (.xml) hoặc CSV (đầu sách hoặc bạn đọc). Nhập lại cùng một tệp sẽ tiếp tục chỗ đã dừng, không tạo trùng.</source>
        <translation>A MARC21 (.mrc), MARCXML (.xml) or CSV file (titles or patrons). Importing the same file again resumes where it stopped, without duplicates.</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="200"/>
        <source>Đã nhập xong; có %1 dòng bị từ chối, xem lý do bên dưới.</source>
        <translation>Import finished; %1 rows were rejected, see the reasons below.</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="203"/>
        <source>Đã nhập xong.</source>
        <translation>Import finished.</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="231"/>
        <source>Không ghi được tệp (USB đã rút ra hoặc đầy?): %1</source>
        <translation>Could not write the file (USB stick removed or full?): %1</translation>
    </message>
    <message>
        <location filename="../staff/importing.py" line="237"/>
        <source>Đã ghi %1 dòng bị từ chối ra %2.</source>
        <translation>Wrote %1 rejected rows to %2.</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../staff/widgets.py" line="171"/>
        <source>Xóa lùi</source>
        <translation>Backspace</translation>
    </message>
    <message>
        <location filename="../staff/widgets.py" line="171"/>
        <source>Xác nhận</source>
        <translation>Confirm</translation>
    </message>
</context>
<context>
    <name>PatronForm</name>
    <message>
        <location filename="../staff/patron_form.py" line="29"/>
        <location filename="../staff/patron_form.py" line="80"/>
        <source>(cấp khi đăng ký)</source>
        <translation>(assigned on registration)</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="38"/>
        <source>ví dụ 1985</source>
        <translation>e.g. 1985</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="46"/>
        <source>ấp / khóm</source>
        <translation>hamlet / quarter</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="53"/>
        <source>4–8 chữ số</source>
        <translation>4–8 digits</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="54"/>
        <source>nhập lại</source>
        <translation>repeat</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="55"/>
        <source>Mã PIN của bạn đọc</source>
        <translation>Patron&apos;s PIN</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="57"/>
        <source>4 đến 8 chữ số, bạn đọc dùng ở máy tra cứu; để trống thì giữ mã cũ</source>
        <translation>4 to 8 digits, used by the patron at the kiosk; leave empty to keep the current PIN</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="58"/>
        <source>Nhập lại mã PIN của bạn đọc</source>
        <translation>Patron&apos;s PIN again</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="59"/>
        <source>Gõ lại đúng mã PIN vừa nhập</source>
        <translation>Type the same PIN again</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="67"/>
        <source>Số thẻ</source>
        <translation>Card number</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="68"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="69"/>
        <source>Đối tượng</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="70"/>
        <source>Năm sinh</source>
        <translation>Year of birth</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="71"/>
        <source>Điện thoại</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="72"/>
        <source>Xã / thị trấn</source>
        <translation>Commune / town</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="73"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="74"/>
        <source>Mã PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="75"/>
        <source>Nhập lại PIN</source>
        <translation>Repeat PIN</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="76"/>
        <source>Hạn thẻ</source>
        <translation>Card expires</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="77"/>
        <source>Tình trạng</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="99"/>
        <source>Đang khóa: {reason}</source>
        <translation>Blocked: {reason}</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="100"/>
        <source>Bình thường</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="106"/>
        <source>Hãy nhập họ và tên.</source>
        <translation>Please enter the full name.</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="108"/>
        <source>Hai lần nhập mã PIN không khớp.</source>
        <translation>The two PINs do not match.</translation>
    </message>
    <message>
        <location filename="../staff/patron_form.py" line="111"/>
        <source>Mã PIN phải gồm 4–8 chữ số.</source>
        <translation>The PIN must be 4–8 digits.</translation>
    </message>
</context>
<context>
    <name>PatronsScreen</name>
    <message>
        <location filename="../staff/patrons.py" line="41"/>
        <source>Tìm theo tên hoặc số thẻ</source>
        <translation>Search by name or card number</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="43"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="43"/>
        <source>Số thẻ</source>
        <translation>Card number</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="43"/>
        <source>Hạn thẻ</source>
        <translation>Card expires</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="56"/>
        <location filename="../staff/patrons.py" line="151"/>
        <source>Đăng ký</source>
        <translation>Register</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="57"/>
        <source>Bạn đọc mới</source>
        <translation>New patron</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="58"/>
        <source>Gia hạn thẻ</source>
        <translation>Renew card</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="59"/>
        <source>In thẻ</source>
        <translation>Print card</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="61"/>
        <source>Lý do khóa thẻ</source>
        <translation>Reason for blocking</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="63"/>
        <source>Khóa thẻ</source>
        <translation>Block card</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="64"/>
        <source>Mở khóa</source>
        <translation>Unblock</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="125"/>
        <source>Không có bạn đọc nào có thẻ {card}.</source>
        <translation>No patron has card {card}.</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="151"/>
        <source>Lưu thay đổi</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="181"/>
        <source>Đã đăng ký bạn đọc ({category}). Số thẻ: {card}</source>
        <translation>Patron registered ({category}). Card number: {card}</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="187"/>
        <source>Đã lưu thay đổi.</source>
        <translation>Changes saved.</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="197"/>
        <source>Đã gia hạn thẻ đến {date}.</source>
        <translation>Card renewed until {date}.</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="205"/>
        <source>Hãy ghi lý do khóa thẻ.</source>
        <translation>Please give a reason for blocking.</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="223"/>
        <source>Chưa có máy in: không in được thẻ. Hãy gọi kỹ thuật viên.</source>
        <translation>No printer: the card cannot be printed. Please call the technician.</translation>
    </message>
    <message>
        <location filename="../staff/patrons.py" line="228"/>
        <source>Đã gửi lệnh in thẻ (lệnh số {job}).</source>
        <translation>Card sent to the printer (job {job}).</translation>
    </message>
</context>
<context>
    <name>PinsScreen</name>
    <message>
        <location filename="../technician/pins.py" line="38"/>
        <source>Gõ lại đúng mã PIN vừa nhập</source>
        <translation>Type the same PIN again</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="39"/>
        <source>mã mới, 4–8 chữ số (nên dùng 6)</source>
        <translation>new PIN, 4–8 digits (6 recommended)</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="40"/>
        <source>Mã PIN nhân viên mới</source>
        <translation>New staff PIN</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="41"/>
        <source>4 đến 8 chữ số, nên dùng 6; khác mã kỹ thuật viên</source>
        <translation>4 to 8 digits, 6 recommended; not the technician PIN</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="42"/>
        <location filename="../technician/pins.py" line="60"/>
        <source>nhập lại</source>
        <translation>repeat</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="42"/>
        <source>Nhập lại mã PIN nhân viên mới</source>
        <translation>New staff PIN again</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="44"/>
        <source>Đặt mã PIN nhân viên</source>
        <translation>Set staff PIN</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="46"/>
        <source>Mã PIN nhân viên (khu vực thủ thư)</source>
        <translation>Staff PIN (librarian area)</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="48"/>
        <location filename="../technician/pins.py" line="66"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="49"/>
        <location filename="../technician/pins.py" line="68"/>
        <source>Mã mới</source>
        <translation>New PIN</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="50"/>
        <location filename="../technician/pins.py" line="69"/>
        <source>Nhập lại</source>
        <translation>Repeat</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="54"/>
        <source>mã hiện tại</source>
        <translation>current PIN</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="54"/>
        <source>Mã PIN kỹ thuật viên hiện tại</source>
        <translation>Current technician PIN</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="55"/>
        <source>Cần nhập khi đổi một mã PIN kỹ thuật viên đã có</source>
        <translation>Needed to change a technician PIN that is already set</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="56"/>
        <source>Mã hiện tại</source>
        <translation>Current PIN</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="57"/>
        <source>mã mới, khác mã nhân viên</source>
        <translation>new PIN, not the staff PIN</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="58"/>
        <source>Mã PIN kỹ thuật viên mới</source>
        <translation>New technician PIN</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="59"/>
        <source>4 đến 8 chữ số, khác mã PIN nhân viên</source>
        <translation>4 to 8 digits, not the staff PIN</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="61"/>
        <source>Nhập lại mã PIN kỹ thuật viên mới</source>
        <translation>New technician PIN again</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="62"/>
        <source>Đổi mã PIN kỹ thuật viên</source>
        <translation>Change technician PIN</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="64"/>
        <source>Mã PIN kỹ thuật viên (khu vực kỹ thuật)</source>
        <translation>Technician PIN (technician area)</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="86"/>
        <source>đã đặt</source>
        <translation>set</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="86"/>
        <source>chưa đặt: khu vực đang khóa</source>
        <translation>not set: the area is locked</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="100"/>
        <location filename="../technician/pins.py" line="118"/>
        <source>Hai lần nhập mã PIN không khớp.</source>
        <translation>The two PINs do not match.</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="111"/>
        <source>Đã đặt mã PIN nhân viên.</source>
        <translation>Staff PIN set.</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="129"/>
        <source>Đã đổi mã PIN kỹ thuật viên.</source>
        <translation>Technician PIN changed.</translation>
    </message>
    <message>
        <location filename="../technician/pins.py" line="135"/>
        <source>Mã PIN nhân viên và mã PIN kỹ thuật viên phải khác nhau.</source>
        <translation>The staff PIN and the technician PIN must differ.</translation>
    </message>
</context>
<context>
    <name>ProtectedArea</name>
    <message>
        <location filename="../staff_area.py" line="56"/>
        <source>Khu vực kỹ thuật</source>
        <translation>Technician area</translation>
    </message>
    <message>
        <location filename="../staff_area.py" line="56"/>
        <source>Khu vực thủ thư</source>
        <translation>Librarian area</translation>
    </message>
    <message>
        <location filename="../staff_area.py" line="84"/>
        <source>Lỗi cài đặt phần mềm: khu vực này không mở được ({error}). Hãy báo kỹ thuật viên cài lại phần mềm.</source>
        <translation>Software installation error: this area cannot open ({error}). Ask a technician to reinstall the software.</translation>
    </message>
    <message>
        <location filename="../staff_area.py" line="87"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../staff/__init__.py" line="22"/>
        <source>Mượn – trả</source>
        <translation>Check out – return</translation>
    </message>
    <message>
        <location filename="../staff/__init__.py" line="23"/>
        <source>Bạn đọc</source>
        <translation>Patrons</translation>
    </message>
    <message>
        <location filename="../staff/__init__.py" line="24"/>
        <source>Biên mục</source>
        <translation>Cataloguing</translation>
    </message>
    <message>
        <location filename="../staff/__init__.py" line="25"/>
        <source>Tra cứu</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../staff/__init__.py" line="26"/>
        <source>Nhập tệp</source>
        <translation>Import file</translation>
    </message>
    <message>
        <location filename="../staff/__init__.py" line="27"/>
        <source>Giữ chỗ – quá hạn</source>
        <translation>Holds – overdue</translation>
    </message>
    <message>
        <location filename="../staff/__init__.py" line="28"/>
        <source>Xung đột</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <location filename="../staff/__init__.py" line="29"/>
        <source>Báo cáo</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../staff/__init__.py" line="30"/>
        <source>Kiểm kê</source>
        <translation>Stocktake</translation>
    </message>
    <message>
        <location filename="../staff/__init__.py" line="31"/>
        <source>Quy định – lịch</source>
        <translation>Rules – calendar</translation>
    </message>
    <message>
        <location filename="../technician/__init__.py" line="11"/>
        <source>Chẩn đoán thiết bị</source>
        <translation>Device diagnostics</translation>
    </message>
    <message>
        <location filename="../technician/__init__.py" line="12"/>
        <source>Cài đặt</source>
        <translation>Setup</translation>
    </message>
    <message>
        <location filename="../technician/__init__.py" line="13"/>
        <source>Mã PIN</source>
        <translation>PINs</translation>
    </message>
    <message>
        <location filename="../technician/__init__.py" line="14"/>
        <source>Ghép nối và cách ly</source>
        <translation>Pairing and quarantine</translation>
    </message>
</context>
<context>
    <name>ProvisioningScreen</name>
    <message>
        <location filename="../technician/provisioning.py" line="38"/>
        <source>Mỗi dòng một địa chỉ, ví dụ http://192.168.1.20:8080</source>
        <translation>One address per line, e.g. http://192.168.1.20:8080</translation>
    </message>
    <message>
        <location filename="../technician/provisioning.py" line="40"/>
        <source>Lưu cài đặt</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <location filename="../technician/provisioning.py" line="42"/>
        <source>Thư viện và đồng bộ</source>
        <translation>Library and sync</translation>
    </message>
    <message>
        <location filename="../technician/provisioning.py" line="44"/>
        <source>Mã thư viện</source>
        <translation>Library code</translation>
    </message>
    <message>
        <location filename="../technician/provisioning.py" line="45"/>
        <source>Tên thư viện</source>
        <translation>Library name</translation>
    </message>
    <message>
        <location filename="../technician/provisioning.py" line="46"/>
        <source>Máy chủ tỉnh</source>
        <translation>Hub</translation>
    </message>
    <message>
        <location filename="../technician/provisioning.py" line="47"/>
        <source>Máy ngang hàng</source>
        <translation>Peers</translation>
    </message>
    <message>
        <location filename="../technician/provisioning.py" line="56"/>
        <source>(chưa khởi tạo)</source>
        <translation>(not initialised)</translation>
    </message>
    <message>
        <location filename="../technician/provisioning.py" line="69"/>
        <source>Đã lưu cài đặt.</source>
        <translation>Settings saved.</translation>
    </message>
</context>
<context>
    <name>RecordScreen</name>
    <message>
        <location filename="../patron/record.py" line="21"/>
        <source>Đang cho mượn, hạn trả %1</source>
        <translation>On loan, due %1</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="24"/>
        <source>Đang giữ cho bạn đọc đã đặt trước</source>
        <translation>Held for a patron who reserved it</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="26"/>
        <source>Có trên giá</source>
        <translation>On the shelf</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="27"/>
        <source>Không cho mượn lúc này</source>
        <translation>Not lendable now</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="35"/>
        <source>Có sẵn %1</source>
        <translation>%1 available</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="37"/>
        <source>Đang cho mượn %1</source>
        <translation>%1 on loan</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="40"/>
        <source>Không có trên giá lúc này</source>
        <translation>Not on the shelf now</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="62"/>
        <source>Bạn đọc mượn cuốn này cũng mượn…</source>
        <translation>Readers who borrowed this also borrowed…</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="77"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="79"/>
        <source>Đặt trước</source>
        <translation>Place hold</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="80"/>
        <source>Gửi qua bưu điện</source>
        <translation>Send by post</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="81"/>
        <source>Sao chụp từ xa</source>
        <translation>Remote copy</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="82"/>
        <source>Xem tài liệu số</source>
        <translation>View digital copy</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="134"/>
        <source>Thư viện này không có bản nào của sách này.</source>
        <translation>This library has no copy of this title.</translation>
    </message>
    <message>
        <location filename="../patron/record.py" line="155"/>
        <source>Đã đặt trước. Thứ tự chờ của bạn: %1. Thư viện sẽ giữ sách khi có bản trả về.</source>
        <translation>Hold placed. Your place in the queue: %1. The library will keep a copy for you when one comes back.</translation>
    </message>
</context>
<context>
    <name>ReportsScreen</name>
    <message>
        <location filename="../staff/reports.py" line="55"/>
        <source>Chỉ tiêu</source>
        <translation>Measure</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="55"/>
        <source>Số lượng</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="56"/>
        <source>Lượt mượn theo lớp DDC</source>
        <translation>Loans by DDC class</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="57"/>
        <source>Bản sách trong kho theo lớp DDC</source>
        <translation>Copies held by DDC class</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="60"/>
        <source>Tháng</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="63"/>
        <source>Xuất CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="64"/>
        <source>Lưu biểu đồ PNG</source>
        <translation>Save charts (PNG)</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="112"/>
        <source>Không có lượt mượn nào trong tháng.</source>
        <translation>No loans this month.</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="114"/>
        <source>Kho sách trống.</source>
        <translation>The collection is empty.</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="123"/>
        <source>Xuất báo cáo</source>
        <translation>Export report</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="126"/>
        <source>Lưu biểu đồ</source>
        <translation>Save chart</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="145"/>
        <source>Đã xuất {name}.</source>
        <translation>Exported {name}.</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="142"/>
        <location filename="../staff/reports.py" line="162"/>
        <source>Không lưu được tệp {name}.</source>
        <translation>Could not save {name}.</translation>
    </message>
    <message>
        <location filename="../staff/reports.py" line="165"/>
        <source>Đã lưu {name}.</source>
        <translation>Saved {name}.</translation>
    </message>
    <message>
        <location filename="../staff/report_data.py" line="21"/>
        <source>Lượt mượn</source>
        <translation>Loans</translation>
    </message>
    <message>
        <location filename="../staff/report_data.py" line="22"/>
        <source>Lượt gia hạn</source>
        <translation>Renewals</translation>
    </message>
    <message>
        <location filename="../staff/report_data.py" line="23"/>
        <source>Lượt trả</source>
        <translation>Returns</translation>
    </message>
    <message>
        <location filename="../staff/report_data.py" line="24"/>
        <source>Lượt bạn đọc đến</source>
        <translation>Patron visits</translation>
    </message>
    <message>
        <location filename="../staff/report_data.py" line="25"/>
        <source>Bạn đọc có hoạt động</source>
        <translation>Active patrons</translation>
    </message>
    <message>
        <location filename="../staff/report_data.py" line="26"/>
        <source>Bạn đọc mới</source>
        <translation>New patrons</translation>
    </message>
    <message>
        <location filename="../staff/report_data.py" line="27"/>
        <source>Bản sách bổ sung</source>
        <translation>Copies acquired</translation>
    </message>
    <message>
        <location filename="../staff/report_data.py" line="28"/>
        <source>Lượt đặt trước</source>
        <translation>Holds placed</translation>
    </message>
    <message>
        <location filename="../staff/report_data.py" line="29"/>
        <source>Yêu cầu (gửi sách, sao chụp)</source>
        <translation>Requests (delivery, copies)</translation>
    </message>
</context>
<context>
    <name>RequestScreen</name>
    <message>
        <location filename="../patron/request_form.py" line="34"/>
        <source>Địa chỉ nhận sách</source>
        <translation>Delivery address</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="36"/>
        <source>Nhiều dòng; chạm vào chữ để sửa ở giữa, dùng bàn phím trên màn hình</source>
        <translation>Several lines; tap the text to edit in the middle, type on the on-screen keyboard</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="38"/>
        <source>Các trang cần sao chụp</source>
        <translation>Pages to copy</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="39"/>
        <source>Ví dụ 12-20; dùng phím gạch nối</source>
        <translation>For example 12-20; use the hyphen key</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="51"/>
        <source>Gửi yêu cầu</source>
        <translation>Send request</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="53"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="71"/>
        <source>Gửi sách qua bưu điện</source>
        <translation>Postal delivery</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="72"/>
        <source>Địa chỉ nhận sách:</source>
        <translation>Delivery address:</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="75"/>
        <source>Sao chụp từ xa</source>
        <translation>Remote copy</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="76"/>
        <source>Các trang cần sao chụp (ví dụ: 12-20):</source>
        <translation>Pages to copy (for example 12-20):</translation>
    </message>
    <message>
        <location filename="../patron/request_form.py" line="105"/>
        <source>Đã gửi yêu cầu (%1). Thư viện sẽ liên hệ với bạn.</source>
        <translation>Request sent (%1). The library will contact you.</translation>
    </message>
</context>
<context>
    <name>ReturnScreen</name>
    <message>
        <location filename="../patron/returns.py" line="35"/>
        <source>Trả sách</source>
        <translation>Return books</translation>
    </message>
    <message>
        <location filename="../patron/returns.py" line="36"/>
        <source>Quét mã vạch trên từng cuốn sách bạn trả. Không cần thẻ.</source>
        <translation>Scan the barcode of each book you return. No card needed.</translation>
    </message>
    <message>
        <location filename="../patron/returns.py" line="46"/>
        <source>Xong</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../patron/returns.py" line="47"/>
        <source>Xong, in phiếu trả</source>
        <translation>Done, print receipt</translation>
    </message>
    <message>
        <location filename="../patron/returns.py" line="69"/>
        <source>Đang xử lý…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <location filename="../patron/returns.py" line="86"/>
        <source>Bạn có thể để sách lên giá hoặc đưa cho thủ thư.</source>
        <translation>You can put the book on the shelf or give it to the librarian.</translation>
    </message>
</context>
<context>
    <name>Screen</name>
    <message>
        <location filename="../patron/base.py" line="40"/>
        <source>Có lỗi xảy ra. Vui lòng thử lại hoặc gặp thủ thư.</source>
        <translation>Something went wrong. Please try again or see the librarian.</translation>
    </message>
</context>
<context>
    <name>SearchScreen</name>
    <message>
        <location filename="../patron/search.py" line="192"/>
        <source>Xem thêm (còn %1 kết quả)</source>
        <translation>Show more (%1 more results)</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="36"/>
        <source>Có sẵn %1</source>
        <translation>%1 available</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="38"/>
        <source>Đang cho mượn %1</source>
        <translation>%1 on loan</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="40"/>
        <source>Đang giữ chỗ %1</source>
        <translation>%1 on hold shelf</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="42"/>
        <source>Thư viện này không có bản nào</source>
        <translation>No copy in this library</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="55"/>
        <location filename="../patron/search.py" line="58"/>
        <source>Tìm sách</source>
        <translation>Find books</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="57"/>
        <source>Tên sách, tác giả, chủ đề… (gõ không dấu cũng được)</source>
        <translation>Title, author, subject… (accents optional)</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="60"/>
        <source>Gõ tên sách, tác giả hoặc chủ đề bằng bàn phím trên màn hình; kết quả hiện ngay</source>
        <translation>Type a title, author or subject on the on-screen keyboard; results appear as you type</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="64"/>
        <source>Duyệt theo môn loại</source>
        <translation>Browse by subject</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="67"/>
        <location filename="../patron/search.py" line="124"/>
        <source>Lọc</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="68"/>
        <source>Lọc kết quả</source>
        <translation>Filter results</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="69"/>
        <source>Chỉ hiện sách còn trên giá, một chủ đề hoặc một khoảng năm xuất bản</source>
        <translation>Show only books on the shelf, one subject or a range of publication years</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="123"/>
        <source>Lọc (%1)</source>
        <translation>Filter (%1)</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="198"/>
        <source>Có phải bạn muốn tìm: %1</source>
        <translation>Did you mean: %1</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="221"/>
        <source>Không tìm thấy sách nào cho “%1”.</source>
        <translation>No books found for “%1”.</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="249"/>
        <source>%1 kết quả cho “%2”</source>
        <translation>%1 results for “%2”</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="252"/>
        <source>%1 kết quả</source>
        <translation>%1 results</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="220"/>
        <source>Không có kết quả nào với bộ lọc này.</source>
        <translation>No results with these filters.</translation>
    </message>
    <message>
        <location filename="../patron/search.py" line="254"/>
        <source>(đã lọc)</source>
        <translation>(filtered)</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <location filename="../staff/settings.py" line="37"/>
        <source>Thứ Hai</source>
        <translation>Monday</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="37"/>
        <source>Thứ Ba</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="38"/>
        <source>Thứ Tư</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="38"/>
        <source>Thứ Năm</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="39"/>
        <source>Thứ Sáu</source>
        <translation>Friday</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="39"/>
        <source>Thứ Bảy</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="40"/>
        <source>Chủ nhật</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="72"/>
        <source>Loại tài liệu</source>
        <translation>Item type</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="72"/>
        <location filename="../staff/settings.py" line="85"/>
        <source>Ngày mượn</source>
        <translation>Loan days</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="73"/>
        <source>Tối đa</source>
        <translation>Most</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="73"/>
        <source>Gia hạn</source>
        <translation>Renewals</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="75"/>
        <source>Lưu quy định</source>
        <translation>Save rule</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="135"/>
        <source>Quy định mượn</source>
        <translation>Loan rules</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="81"/>
        <source>Đối tượng</source>
        <translation>Patron category</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="83"/>
        <source>Loại</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="87"/>
        <source>Tối đa (cuốn)</source>
        <translation>Most at once</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="89"/>
        <source>Số lần gia hạn</source>
        <translation>Renewals allowed</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="101"/>
        <source>Lý do (ví dụ: Tết Nguyên đán)</source>
        <translation>Reason (e.g. Lunar New Year)</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="102"/>
        <source>Ngày nghỉ</source>
        <translation>Closed day</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="102"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="103"/>
        <source>Mở cửa lại ngày đã chọn</source>
        <translation>Open again on the chosen day</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="107"/>
        <source>ví dụ: Thứ Hai – Thứ Bảy, 7:00–11:00</source>
        <translation>e.g. Monday – Saturday, 7:00–11:00</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="136"/>
        <source>Lịch nghỉ và giờ mở cửa</source>
        <translation>Closed days and opening hours</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="115"/>
        <source>Thêm ngày nghỉ</source>
        <translation>Add closed day</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="122"/>
        <source>Nghỉ hằng tuần:</source>
        <translation>Closed every week:</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="129"/>
        <source>Giờ mở cửa</source>
        <translation>Opening hours</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="131"/>
        <source>Lưu giờ</source>
        <translation>Save hours</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="145"/>
        <source>Tất cả loại (tổng số)</source>
        <translation>All types (total)</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="206"/>
        <source>Đã lưu quy định: {what}.</source>
        <translation>Rule saved: {what}.</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="218"/>
        <source>Thư viện nghỉ ngày {day}.</source>
        <translation>The library is closed on {day}.</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="224"/>
        <source>Hãy chọn một ngày nghỉ trong danh sách.</source>
        <translation>Choose a closed day in the list.</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="229"/>
        <source>Thư viện mở cửa ngày {day}.</source>
        <translation>The library is open on {day}.</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="237"/>
        <source>Đã lưu ngày nghỉ hằng tuần.</source>
        <translation>Weekly closing saved.</translation>
    </message>
    <message>
        <location filename="../staff/settings.py" line="248"/>
        <source>Đã lưu giờ mở cửa.</source>
        <translation>Opening hours saved.</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <location filename="../shell.py" line="79"/>
        <location filename="../shell.py" line="234"/>
        <source>Thư viện xã</source>
        <translation>Commune library</translation>
    </message>
    <message>
        <location filename="../shell.py" line="116"/>
        <location filename="../shell.py" line="246"/>
        <source>Tôi vẫn đang dùng</source>
        <translation>I&apos;m still here</translation>
    </message>
    <message>
        <location filename="../shell.py" line="132"/>
        <location filename="../shell.py" line="187"/>
        <source>⌂ Màn hình chính</source>
        <translation>⌂ Start</translation>
    </message>
    <message>
        <location filename="../shell.py" line="135"/>
        <location filename="../shell.py" line="235"/>
        <source>Máy quét mô phỏng: gõ mã rồi Enter</source>
        <translation>Simulated scanner: type a code, press Enter</translation>
    </message>
    <message>
        <location filename="../shell.py" line="136"/>
        <location filename="../shell.py" line="236"/>
        <source>Máy quét mô phỏng</source>
        <translation>Simulated scanner</translation>
    </message>
    <message>
        <location filename="../shell.py" line="137"/>
        <source>Gõ mã vạch của thẻ hoặc sách rồi nhấn Enter</source>
        <translation>Type a card or book barcode, then press Enter</translation>
    </message>
    <message>
        <location filename="../shell.py" line="140"/>
        <location filename="../shell.py" line="237"/>
        <source>Nhân viên</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../shell.py" line="141"/>
        <location filename="../shell.py" line="244"/>
        <source>Màn hình chính</source>
        <translation>Home screen</translation>
    </message>
    <message>
        <location filename="../shell.py" line="142"/>
        <location filename="../shell.py" line="245"/>
        <source>Kết thúc phiên và về màn hình đầu</source>
        <translation>End the session and go back to the start</translation>
    </message>
    <message>
        <location filename="../shell.py" line="143"/>
        <location filename="../shell.py" line="238"/>
        <source>A+ Chữ to</source>
        <translation>A+ Large text</translation>
    </message>
    <message>
        <location filename="../shell.py" line="144"/>
        <location filename="../shell.py" line="239"/>
        <source>Chữ to</source>
        <translation>Large text</translation>
    </message>
    <message>
        <location filename="../shell.py" line="144"/>
        <location filename="../shell.py" line="239"/>
        <source>Bật hoặc tắt chữ cỡ lớn</source>
        <translation>Turn large text on or off</translation>
    </message>
    <message>
        <location filename="../shell.py" line="145"/>
        <location filename="../shell.py" line="240"/>
        <source>◐ Tương phản</source>
        <translation>◐ Contrast</translation>
    </message>
    <message>
        <location filename="../shell.py" line="146"/>
        <location filename="../shell.py" line="241"/>
        <source>Tương phản cao</source>
        <translation>High contrast</translation>
    </message>
    <message>
        <location filename="../shell.py" line="147"/>
        <location filename="../shell.py" line="242"/>
        <source>Bật hoặc tắt nền đen chữ sáng</source>
        <translation>Turn the black background with bright text on or off</translation>
    </message>
    <message>
        <location filename="../shell.py" line="148"/>
        <location filename="../shell.py" line="243"/>
        <source>Đọc to</source>
        <translation>Read aloud</translation>
    </message>
    <message>
        <location filename="../shell.py" line="149"/>
        <source>Đọc to nội dung màn hình này</source>
        <translation>Read this screen aloud</translation>
    </message>
    <message>
        <location filename="../shell.py" line="187"/>
        <source>Khóa và thoát</source>
        <translation>Lock and leave</translation>
    </message>
    <message>
        <location filename="../shell.py" line="274"/>
        <source>Tự thoát sau %1 giây</source>
        <translation>Signing out in %1 s</translation>
    </message>
</context>
<context>
    <name>StaffLogin</name>
    <message>
        <location filename="../staff/login.py" line="43"/>
        <location filename="../staff/login.py" line="46"/>
        <source>Mã PIN kỹ thuật viên</source>
        <translation>Technician PIN</translation>
    </message>
    <message>
        <location filename="../staff/login.py" line="44"/>
        <location filename="../staff/login.py" line="47"/>
        <source>Mã PIN nhân viên</source>
        <translation>Staff PIN</translation>
    </message>
    <message>
        <location filename="../staff/login.py" line="49"/>
        <source>Nhập 4 đến 8 chữ số bằng bàn phím số trên màn hình hoặc bàn phím, rồi bấm Đăng nhập. Mã không hiện ra màn hình.</source>
        <translation>Type 4 to 8 digits on the on-screen keypad or the keyboard, then press Sign in. The PIN is not shown.</translation>
    </message>
    <message>
        <location filename="../staff/login.py" line="54"/>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../staff/login.py" line="55"/>
        <source>Nhập mã PIN kỹ thuật viên để tiếp tục.</source>
        <translation>Enter the technician PIN to continue.</translation>
    </message>
    <message>
        <location filename="../staff/login.py" line="65"/>
        <source>Khu vực thủ thư</source>
        <translation>Librarian area</translation>
    </message>
    <message>
        <location filename="../staff/login.py" line="99"/>
        <source>Khu vực này đang khóa: chưa đặt mã PIN kỹ thuật viên. Kỹ thuật viên cần đặt mã trước (tệp cài đặt lần đầu hoặc lệnh kiosk staff-pin set --technician).</source>
        <translation>This area is locked: no technician PIN has been set. A technician must set it first (first-boot settings file or the command kiosk staff-pin set --technician).</translation>
    </message>
    <message>
        <location filename="../staff/login.py" line="102"/>
        <source>Khu vực này đang khóa: chưa đặt mã PIN nhân viên. Kỹ thuật viên cần đặt mã trước (màn hình Kỹ thuật, tệp cài đặt lần đầu hoặc lệnh kiosk staff-pin set).</source>
        <translation>This area is locked: no staff PIN has been set. A technician must set it first (technician screen, first-boot settings file or the command kiosk staff-pin set).</translation>
    </message>
    <message>
        <location filename="../staff/login.py" line="56"/>
        <source>Nhập mã PIN nhân viên để tiếp tục.</source>
        <translation>Enter the staff PIN to continue.</translation>
    </message>
    <message>
        <location filename="../staff/login.py" line="141"/>
        <source>Sai mã PIN quá nhiều lần. Vui lòng chờ 30 giây.</source>
        <translation>Too many wrong PINs. Please wait 30 seconds.</translation>
    </message>
    <message>
        <location filename="../staff/login.py" line="146"/>
        <source>Mã PIN không đúng.</source>
        <translation>Wrong PIN.</translation>
    </message>
</context>
<context>
    <name>StocktakeScreen</name>
    <message>
        <location filename="../staff/stocktake.py" line="34"/>
        <source>Quét lần lượt từng cuốn trên giá</source>
        <translation>Scan each book on the shelf in turn</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="39"/>
        <location filename="../staff/stocktake.py" line="40"/>
        <location filename="../staff/stocktake.py" line="42"/>
        <source>Mã vạch</source>
        <translation>Barcode</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="39"/>
        <location filename="../staff/stocktake.py" line="40"/>
        <location filename="../staff/stocktake.py" line="42"/>
        <source>Nhan đề</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="39"/>
        <location filename="../staff/stocktake.py" line="41"/>
        <source>Ký hiệu</source>
        <translation>Call no.</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="43"/>
        <source>Vì sao</source>
        <translation>Why</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="45"/>
        <source>Có trên giá</source>
        <translation>On shelf</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="46"/>
        <source>Thiếu</source>
        <translation>Missing</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="47"/>
        <source>Sai chỗ</source>
        <translation>Misplaced</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="50"/>
        <source>Vị trí</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="53"/>
        <source>Làm lại</source>
        <translation>Start over</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="85"/>
        <source>Đã quét {code} rồi.</source>
        <translation>{code} was already scanned.</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="94"/>
        <source>Chưa có bản sách nào được ghi vị trí.</source>
        <translation>No copies have a location recorded yet.</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="102"/>
        <source>Đã quét {scanned} · có trên giá {found} · thiếu {missing} · sai chỗ {misplaced}</source>
        <translation>Scanned {scanned} · on shelf {found} · missing {missing} · misplaced {misplaced}</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="105"/>
        <source> · mã lạ: {codes}</source>
        <translation> · unknown codes: {codes}</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="113"/>
        <source>Có trên giá ({n})</source>
        <translation>On shelf ({n})</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="114"/>
        <source>Thiếu ({n})</source>
        <translation>Missing ({n})</translation>
    </message>
    <message>
        <location filename="../staff/stocktake.py" line="115"/>
        <source>Sai chỗ ({n})</source>
        <translation>Misplaced ({n})</translation>
    </message>
</context>
<context>
    <name>TrustScreen</name>
    <message>
        <location filename="../technician/trust.py" line="29"/>
        <source>Sự kiện sửa dữ liệu của thư viện khác</source>
        <translation>Changes another library&apos;s data</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="30"/>
        <source>Thiết bị đã bị thu hồi</source>
        <translation>Written by a revoked device</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="31"/>
        <source>Dấu thời gian quá xa trong tương lai</source>
        <translation>Stamped too far in the future</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="32"/>
        <source>Không áp dụng được (trùng hoặc thiếu dữ liệu)</source>
        <translation>Cannot be applied (duplicate or missing data)</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="68"/>
        <source>Mã QR ghép nối</source>
        <translation>Pairing QR code</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="69"/>
        <source>Tạo mã ghép nối</source>
        <translation>Make a pairing code</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="70"/>
        <source>Ghép nối thiết bị mới của thư viện (không cần máy chủ tỉnh)</source>
        <translation>Pair a new device of this library (no hub needed)</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="81"/>
        <source>Mã</source>
        <translation>Id</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="81"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="81"/>
        <source>Chi tiết</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="82"/>
        <source>Thư viện</source>
        <translation>Library</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="89"/>
        <source>Thử áp dụng lại</source>
        <translation>Try to apply again</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="90"/>
        <source>Bỏ qua vĩnh viễn</source>
        <translation>Dismiss for good</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="93"/>
        <source>Sự kiện bị cách ly (chưa áp dụng)</source>
        <translation>Quarantined events (not applied)</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="119"/>
        <source>Dùng một lần, hết hạn lúc %1. Trên thiết bị mới: kiosk pair --peer %2 --code %3</source>
        <translation>Single use, expires at %1. On the new device: kiosk pair --peer %2 --code %3</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="141"/>
        <source>Nguồn %1 có hai lịch sử từ số %2 (máy nhân bản hoặc khôi phục bằng sao chép): %3 sự kiện chuyển sang nguồn mới, không mất sự kiện nào.</source>
        <translation>Origin %1 holds two histories from number %2 (a cloned card or a restore by copying): %3 events moved to a new origin, none lost.</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="160"/>
        <source>Đã áp dụng sự kiện.</source>
        <translation>The event was applied.</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="162"/>
        <source>Sự kiện vẫn chưa áp dụng được: hãy sửa nguyên nhân trước (xem chi tiết).</source>
        <translation>The event still cannot be applied: fix its cause first (see the details).</translation>
    </message>
    <message>
        <location filename="../technician/trust.py" line="171"/>
        <source>Đã bỏ qua sự kiện.</source>
        <translation>The event was dismissed.</translation>
    </message>
</context>
<context>
    <name>TypingSwitch</name>
    <message>
        <location filename="../vi_typing.py" line="253"/>
        <source>Kiểu gõ:</source>
        <translation>Typing:</translation>
    </message>
    <message>
        <location filename="../vi_typing.py" line="258"/>
        <source>Gõ tiếng Việt kiểu Telex: aa thành â, dd thành đ, s f r x j là dấu sắc, huyền, hỏi, ngã, nặng</source>
        <translation>Vietnamese typing, Telex: aa gives â, dd gives đ, s f r x j are the five tone marks</translation>
    </message>
    <message>
        <location filename="../vi_typing.py" line="260"/>
        <source>Gõ tiếng Việt kiểu VNI: số 1 đến 5 là dấu, 6 mũ, 7 móc, 8 trăng, 9 đ</source>
        <translation>Vietnamese typing, VNI: digits 1 to 5 are the tone marks, 6 circumflex, 7 horn, 8 breve, 9 đ</translation>
    </message>
    <message>
        <location filename="../vi_typing.py" line="261"/>
        <source>Không ghép dấu: các phím được gõ đúng như bấm</source>
        <translation>No composing: keys are typed exactly as pressed</translation>
    </message>
    <message>
        <location filename="../vi_typing.py" line="263"/>
        <source>Tắt</source>
        <translation>Off</translation>
    </message>
    <message>
        <location filename="../vi_typing.py" line="266"/>
        <source>Kiểu gõ %1</source>
        <translation>Typing %1</translation>
    </message>
</context>
<context>
    <name>VietnameseKeyboard</name>
    <message>
        <location filename="../keys.py" line="192"/>
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
        <location filename="../patron/viewer.py" line="91"/>
        <source>trang %1/%2</source>
        <translation>page %1/%2</translation>
    </message>
    <message>
        <location filename="../patron/viewer.py" line="108"/>
        <source>Tài liệu ở địa chỉ: %1</source>
        <translation>The document is at: %1</translation>
    </message>
    <message>
        <location filename="../patron/viewer.py" line="112"/>
        <source>Đang mở tài liệu…</source>
        <translation>Opening the document…</translation>
    </message>
    <message>
        <location filename="../patron/viewer.py" line="117"/>
        <source>Máy này chưa xem được tệp PDF (thiếu poppler-utils). Tài liệu: %1 — hãy hỏi thủ thư.</source>
        <translation>This kiosk cannot show PDF files yet (poppler-utils is missing). Document: %1 — please ask the librarian.</translation>
    </message>
    <message>
        <location filename="../patron/viewer.py" line="137"/>
        <source>Đang mở trang…</source>
        <translation>Opening the page…</translation>
    </message>
    <message>
        <location filename="../patron/viewer.py" line="145"/>
        <source>Không mở được trang này.</source>
        <translation>This page cannot be opened.</translation>
    </message>
    <message>
        <location filename="../patron/viewer.py" line="124"/>
        <source>Không mở được tài liệu này.</source>
        <translation>This document cannot be opened.</translation>
    </message>
</context>
<context>
    <name>staff</name>
    <message>
        <location filename="../staff/widgets.py" line="41"/>
        <source>Thiếu nhi</source>
        <translation>Child</translation>
    </message>
    <message>
        <location filename="../staff/widgets.py" line="42"/>
        <source>Học sinh, sinh viên</source>
        <translation>Student</translation>
    </message>
    <message>
        <location filename="../staff/widgets.py" line="43"/>
        <source>Người lớn</source>
        <translation>Adult</translation>
    </message>
    <message>
        <location filename="../staff/widgets.py" line="44"/>
        <source>Người cao tuổi</source>
        <translation>Elderly</translation>
    </message>
    <message>
        <location filename="../staff/widgets.py" line="45"/>
        <source>Người khuyết tật</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../staff/widgets.py" line="70"/>
        <source>Lỗi không mong đợi: </source>
        <translation>Unexpected error: </translation>
    </message>
</context>
</TS>
