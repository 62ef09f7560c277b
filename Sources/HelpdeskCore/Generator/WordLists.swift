/// The vocabulary generated desks are written in: names, companies, subjects and the words
/// conversations are made of.
enum WordLists {
    static let firstNames = [
        "maria", "james", "aisha", "chen", "lena", "omar", "sofia", "lucas", "priya", "noah", "yuki", "elena",
        "samuel", "fatima", "jonas", "amara", "diego", "hannah", "ravi", "chloe", "mateo", "ingrid", "kwame",
        "zoe", "ahmed", "clara", "felix", "nadia", "oscar", "leila", "hugo", "mei", "tomas", "grace", "ivan",
        "julia", "kenji", "laura", "malik", "nina", "pablo", "rosa", "sven", "tara", "umar", "vera", "wei",
        "xavier", "yara", "zainab", "bruno", "daria", "emil", "freya", "gustavo", "helga", "isaac", "jade",
    ]
    static let lastNames = [
        "garcia", "smith", "khan", "wang", "fischer", "haddad", "rossi", "silva", "patel", "tanaka", "novak",
        "okafor", "muller", "dubois", "kowalski", "nguyen", "larsen", "oconnell", "santos", "ivanova", "kim",
        "mensah", "berg", "costa", "jensen", "moreau", "nakamura", "petrov", "quinn", "romero", "schmidt",
        "takahashi", "umarov", "vargas", "weber", "yilmaz", "zhang", "andersen", "bianchi", "chowdhury",
    ]
    /// A few names are written with their accents, as customers type them.
    static let displayFirstNames = ["María", "Zoë", "Søren", "Chloé", "Jürgen", "Ines", "Björn", "Łukasz"]
    static let domains = [
        "example.com", "example.org", "example.net", "mail.example", "inbox.example", "post.example",
    ]
    static let organisations = [
        "Northwind Traders", "Contoso Ltd", "Fabrikam Inc", "Tailspin Toys", "Wide World Importers",
        "Adventure Works", "Blue Yonder Airlines", "Litware Inc", "Proseware", "Woodgrove Bank",
        "Alpine Ski House", "Coho Winery", "Fourth Coffee", "Graphic Design Institute", "Lucerne Publishing",
    ]
    static let subjects = [
        "Charged twice for invoice INV-{n}", "Cannot log in after password reset", "Order #{n} arrived damaged",
        "Where is my order #{n}?", "Refund for cancelled subscription", "CSV export has broken accents",
        "API returns 502 on /v2/reports", "Two-factor codes never arrive", "Please change my billing address",
        "App crashes when uploading photos", "Invoice shows the wrong VAT number", "Upgrade to the team plan",
        "Delivery address typo on order #{n}", "Password reset link expired", "Sync stopped working on Android",
        "Question about the enterprise contract", "Cannot add a new user to our account", "Discount code {n} not accepted",
        "Webhook deliveries delayed by hours", "Data export for GDPR request", "Dark mode makes text unreadable",
        "Missing items in order #{n}", "Account locked after too many attempts", "Integration with Slack broken",
        "Request to close my account", "Slow dashboard since the last update", "Wrong currency on checkout page",
        "Printer driver not detected", "Calendar invites arrive twice", "Need a copy of receipt #{n}",
    ]
    static let greetings = ["Hello,", "Hi there,", "Good morning,", "Dear support team,", "Hi,", "Hello again,"]
    static let replyGreetings = ["Hi #,", "Hello #,", "Dear #,", "Thanks for getting in touch, #."]
    static let signOffs = ["Thanks,", "Best regards,", "Kind regards,", "Cheers,", "Many thanks,"]
    static let openers = [
        "I have a problem with", "Since yesterday I cannot use", "Could you please look into", "We noticed an issue with",
        "I am writing about", "Our team keeps running into trouble with", "I would like to ask about",
        "Following up on my last message about", "Something went wrong with",
    ]
    static let nouns = [
        "the invoice", "my account", "the order", "the dashboard", "the export", "the mobile app", "the login page",
        "our subscription", "the payment", "the delivery", "the report", "the integration", "the settings page",
        "the password reset", "the shipping label", "the refund", "the API token", "the admin panel", "the receipt",
        "the team plan", "the notification emails", "the sync service", "the browser extension", "the checkout",
    ]
    static let verbs = [
        "shows an error", "does not load", "keeps timing out", "was charged twice", "never arrived",
        "looks different than before", "stopped working", "returns the wrong total", "asks for a code again",
        "is missing some items", "crashes on start", "takes minutes to open", "shows an old address",
        "sends duplicates", "rejects the request", "was cancelled by mistake",
    ]
    static let details = [
        "This started after the update on Monday.", "I already tried clearing the cache and logging in again.",
        "It happens in Chrome and Firefox alike.", "Three of my colleagues see the same thing.",
        "The error message says something about a timeout.", "I attached a screenshot to my previous email.",
        "We need this fixed before the end of the month.", "It worked fine until last week.",
        "The order number is in the subject line.", "I can reproduce it every time.",
        "Our finance team is waiting for a corrected document.", "The customer reference is on the receipt.",
        "I restarted the device twice, with no change.", "We use the account for about forty people.",
        "Please let me know if you need more information.", "This is quite urgent for us.",
    ]
    static let answers = [
        "Thank you for the details.", "I am sorry for the trouble this has caused.", "I have checked your account.",
        "I can see the problem on our side.", "I have forwarded this to our billing team.",
        "Could you send me a screenshot of the error?", "Please try again in a private browser window.",
        "The fix will be part of the next release.", "I have issued a refund for the duplicate charge.",
        "Your order has been handed over to the courier again.", "I reset the sync service for your account.",
        "Could you confirm the email address on the account?", "I have updated the billing address.",
        "Our engineers are looking into it now.", "You should see the change within an hour.",
        "The new receipt is attached to this message.", "I have extended your trial by two weeks.",
        "Let me know whether that solves it.", "I will keep this ticket open until we hear back.",
    ]
    static let noteLines = [
        "Customer is on the enterprise plan.", "Checked the logs: timeouts from the EU cluster.",
        "Billing confirmed the duplicate charge.", "Same issue as last month, see the linked ticket.",
        "Waiting for engineering.", "Customer prefers phone calls.", "Refund approved by finance.",
        "Could be the caching bug from the release notes.", "Escalate if it happens again.",
    ]
    static let escalationReasons = [
        "needs access to the billing system", "suspected bug, needs engineering", "customer asked for a manager",
        "data loss suspected", "contract question beyond tier 1", "security-related: possible account takeover",
        "recurring issue, root cause unknown",
    ]
    static let followUpNotes = [
        "check whether the refund arrived", "ask if the fix worked", "warehouse answer due", "call back after the release",
        "confirm the new address", "check with engineering",
    ]
    static let tags = [
        "billing", "refund", "login", "shipping", "bug", "api", "mobile", "vip", "feature-request", "account",
        "export", "gdpr", "outage", "duplicate", "invoice",
    ]
    static let ratingComments = [
        "Fast and friendly, thank you!", "Took a while but solved.", "Great help.", "Still not happy with the outcome.",
        "Very quick answer.", "Had to explain the problem three times.", "Excellent service as always.",
    ]
}
