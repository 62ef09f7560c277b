import XCTest
@testable import HelpdeskCore

final class CustomerTests: XCTestCase {
    func testAFirstContactCreatesTheCustomer() {
        var fixture = DeskFixture()
        let id = fixture.open()
        let customer = fixture.desk.customer(fixture.ticket(id).customerID)
        XCTAssertEqual(customer, Customer(id: 1, name: "Jane Doe", email: "jane@example.com", phone: nil,
                                          organisation: nil, notes: nil))
    }

    func testEmailsMatchRegardlessOfCase() {
        var fixture = DeskFixture()
        let first = fixture.open()
        let second = fixture.open("Again", email: "  JANE@Example.COM")
        XCTAssertEqual(fixture.ticket(first).customerID, fixture.ticket(second).customerID)
        XCTAssertEqual(fixture.desk.customers.count, 1)
        XCTAssertEqual(fixture.desk.customer(email: "Jane@example.com")?.id, 1)
    }

    func testAnAddressesKeyIgnoresCaseAndSurroundingBlanksOnlyWhateverItsCharacters() {
        for (address, key) in [("ann@example.com", "ann@example.com"), ("Ann@Example.COM", "ann@example.com"),
                               (" ann@example.com\t", "ann@example.com"), ("ÉLODIE@exemple.fr", "élodie@exemple.fr"),
                               ("\u{A0}zoë@example.com", "zoë@example.com"), ("a b@c", "a b@c"), ("", "")] {
            XCTAssertEqual(Desk.emailKey(address), key, address)
            XCTAssertEqual(Desk.emailKey(address), address.trimmingWhitespace().lowercased(), address)
        }
    }

    func testSavingAnExistingCustomerUpdatesOnlyWhatChanged() throws {
        var fixture = DeskFixture()
        _ = fixture.open()
        let events = try fixture.run(.saveCustomer(email: "JANE@example.com", name: "Jane Doe", phone: "+49 30 123",
                                                   organisation: "Acme", notes: nil), as: "alice")
        XCTAssertEqual(events, [.customerUpdated(id: 1, email: nil, name: nil, phone: "+49 30 123", organisation: "Acme", notes: nil)])
        XCTAssertEqual(fixture.desk.customer(1)?.organisation, "Acme")
        let again = try fixture.run(.saveCustomer(email: "jane@example.com", name: nil, phone: "+49 30 123",
                                                  organisation: nil, notes: nil), as: "alice")
        XCTAssertEqual(again, [], "saving the same values changes nothing")
    }

    func testCustomersCanBeCreatedExplicitly() throws {
        var fixture = DeskFixture()
        try fixture.run(.saveCustomer(email: "max@example.org", name: nil, phone: "555", organisation: nil, notes: "VIP"),
                        as: "bob")
        XCTAssertEqual(fixture.desk.customer(email: "max@example.org"),
                       Customer(id: 1, name: "max", email: "max@example.org", phone: "555", organisation: nil, notes: "VIP"))
    }

    func testBadEmailsAreRefused() {
        var fixture = DeskFixture()
        for bad in ["", "jane", "jane@", "@example.com", "jane@example", "ja ne@example.com", "a@b@example.com"] {
            fixture.assertRefused(.saveCustomer(email: bad, name: nil, phone: nil, organisation: nil, notes: nil),
                                  as: "alice", .invalid, containing: "bad email address")
        }
    }

    func testTheASCIICheckOfAnAddressAgreesWithTheCheckByCharacters() {
        let addresses = ["jane@example.com", "a@b.c", "@example.com", "jane@", "jane@example", "jane@.example.com",
                         "jane@example.com.", "jane@@example.com", "ja@ne@example.com", "jane doe@example.com",
                         "jane@exa\tmple.com", "jane@example.com\r\n", "jane@exam\u{7F}ple.com", "jane@exam\u{1}ple.com",
                         "j.a.n.e@x.y", ".@..", "a@.", "a@b.", "a@..b", "a@b..c", "", "@", ".", "a.b@c", "x@y.z w"]
        for address in addresses {
            XCTAssertEqual(CustomerRules.isValidEmail(address), CustomerRules.isValidEmailByCharacters(address), address)
        }
        // Beyond ASCII the check by characters decides: a combining mark makes another character of the '@'.
        XCTAssertFalse(CustomerRules.isValidEmail("jane@\u{301}example.com"))
        XCTAssertTrue(CustomerRules.isValidEmail("jöns@exämple.com"))
        XCTAssertFalse(CustomerRules.isValidEmail("jane@exa\u{2003}mple.com"), "an em space")
    }

    func testAppliedCustomerEventsKeepTheEmailIndex() throws {
        var desk = Desk()
        let context = EventContext(seq: 1, at: Date(), actor: "sam")
        try desk.apply(.customerCreated(id: 1, email: "a@example.com", name: "A", phone: nil, organisation: nil, notes: nil),
                       context: context)
        try desk.apply(.customerUpdated(id: 1, email: "b@example.com", name: nil, phone: nil, organisation: nil, notes: nil),
                       context: context)
        XCTAssertNil(desk.customer(email: "a@example.com"))
        XCTAssertEqual(desk.customer(email: "B@example.com")?.id, 1)
        XCTAssertThrowsError(try desk.apply(.customerCreated(id: 2, email: "b@EXAMPLE.com", name: "B", phone: nil,
                                                             organisation: nil, notes: nil), context: context))
    }
}
