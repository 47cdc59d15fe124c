"""English sentence bank for build_corpus.py: hand-written, one sentence per line.

Placeholders: {tn} a tracking number, {date} a date phrase, {n} a number of days,
{city} a city, {item} a thing that was mailed, {amt} a money amount.
"""

CORE = {
"track_package": """
Tracking for {tn} has not updated in {n} days.
My package has been stuck "In Transit" for over a week and the tracking doesn't change.
The tracking page says "Label Created, not yet in system" but I dropped it off at the counter on {date}.
Why does my tracking still say arriving late with no new scan?
It shows "Arrived at USPS Regional Facility" since {date} and nothing after that.
Can you tell me what "In Transit to Next Facility" means? It has said that for days.
Tracking number {tn} shows no movement at all.
USPS tracking says the item is "Moving Through Network" and there has been no update since {date}.
My parcel went from {city} back to the previous facility, the scans make no sense.
The status changed to "Delivery Exception" and I don't understand what I should do.
Could you check where my package is? Tracking has been frozen since {date}.
The tracking shows "Alert: Delivery attempted, no access to delivery location" but I was home all day.
I can't find any information about {tn}, your site says the number is not found.
The expected delivery date keeps moving and the package never seems to leave {city}.
The last scan was "Departed Shipping Partner Facility" on {date}, what happens now?
My tracking says "Held at Post Office, at customer request" but I never asked for that.
Please look up {tn}, the status is "Awaiting Item" for {n} days now.
Tracking shows "Forwarded" and I have no idea where it went.
My shipment is listed as "In Transit, Arriving Late" for a week now.
I need an update on my package, the online tracking hasn't changed.
The tracking number the seller gave me shows nothing past the pre-shipment stage.
Where exactly is my package right now? The last tracking event is {n} days old.
The package has been "Out for Delivery" twice and then went back to the station without an explanation.
Tracking says it's at the destination post office but it hasn't been put out for delivery.
The tracking history jumps between two sorting centers, is it lost in a loop?
What does "Processing Exception, Other" mean on my tracking?
I'd like to know why my international parcel {tn} has been "In customs" for so long.
My parcel was scanned in {city} on {date} and there's been no scan since.
The tracking info disappeared from the website, it used to show the item at my local office.
How do I get the tracking to update? The seller keeps telling me to ask you.
""",
"missing_package": """
I mailed a package to my daughter on {date} and it never arrived.
My letter was sent {n} days ago and still hasn't arrived.
A birthday card with cash in it never made it to my mother.
I've been waiting for a check that was mailed on {date} and it's nowhere.
The package I sent to {city} is lost, the recipient never got it.
Nothing has come, the box I'm expecting is missing completely.
I would like to open a missing mail search for a parcel with {item}.
My {item} was supposed to arrive last week and I haven't received anything.
The envelope with my documents never reached the recipient.
I sent {item} by First-Class Mail and it seems to have vanished.
My son sent me a package from {city} over two weeks ago and it's not here.
The medication I ordered was shipped on {date} and never showed up.
I haven't received any mail at all this week and I'm missing important letters.
My tax refund check was mailed but I never got it.
Where is my package? It should have been here {n} days ago and it is not.
The parcel didn't arrive and the sender says it left on {date}.
A letter from my bank never came even though they say it was mailed.
The rent check I mailed to my landlord has not been received.
I'm missing a package that contains {item}, can you help me find it?
Two of my packages from the same order never arrived.
It has been {n} days since the sender shipped it and I still have nothing.
My Christmas gifts mailed to {city} have not arrived yet.
I submitted a help request last week and my lost package still hasn't turned up.
Please help me locate a lost envelope mailed on {date}.
A package with {item} has gone missing somewhere between {city} and here.
The recipient says they never received the letter I mailed them.
My new debit card from the bank never came.
I am still waiting for my new credit card which was mailed {n} days ago.
Our wedding invitations were mailed out and several guests never received them.
I shipped my phone for repair and it never got to the repair center.
""",
"delivery_issue": """
My mail keeps getting delivered to the wrong address.
I received my neighbor's mail again today, this happens every week.
The carrier left my package in the rain and everything inside got wet.
Tracking says delivered but I never got the package, it is not at my door.
Our street hasn't had any mail delivery for {n} days.
The mail carrier skipped our house again even though the mailbox is clear.
Packages are thrown over my fence and left in the yard.
The delivery driver left a notice without even knocking, I was home.
My mail is consistently delivered late in the evening or not at all.
The package was marked delivered to a parcel locker but there's nothing in it.
Someone else's packages keep being left on my porch.
My mail was put in the wrong box at our apartment building.
The carrier damaged my mailbox when backing the truck.
The package was delivered to a house three blocks away.
Mail is being delivered to my old address even though I live here now.
The box was left outside in front of the building where anyone can take it.
I haven't been getting mail on Saturdays anymore.
The carrier put my package in the neighbor's mailbox.
My package was delivered but it was crushed and left open on the steps.
We get mail for a previous tenant every single day.
The delivery says left at front door but I live in an apartment with a locked lobby.
The mail truck never comes to our rural route before 8 pm.
Our cluster mailbox has been broken for weeks and nobody delivers mail to it.
Letters addressed to me are returned to the sender as undeliverable even though my address is correct.
The carrier marks packages "no access" without trying to deliver them.
I got a photo of my delivery and it's not my house.
My packages are left at the leasing office even though I asked for door delivery.
Our mail got wet because the carrier left the mailbox door open.
Important letters are showing up a week late every time.
The carrier delivered a certified letter without asking for my signature.
The mail was delivered to the wrong apartment number again.
Our carrier doesn't deliver when a car is parked in front of the mailbox.
My package was left at the wrong door and the neighbor opened it.
""",
"claim_refund": """
I want to file a claim for a package that arrived damaged.
The insured package arrived with items missing, how do I get reimbursed?
I paid for Priority Mail Express and it arrived late, I'd like a postage refund.
I'm requesting a refund for a shipping label I printed but never used.
My claim for {tn} was denied and I want to appeal.
What is the status of my insurance claim filed on {date}?
The contents were broken when the box arrived, it was insured for {amt}.
I was charged twice for the same Click-N-Ship label, please refund one.
The box was opened and {item} was taken out, I want to file a claim.
How much compensation can I get for a lost insured parcel worth {amt}?
I'd like my money back for the Priority Mail Express guarantee that was not met.
The {item} I shipped arrived shattered, I bought insurance and need to claim.
Please refund {amt} for the postage on a package you never delivered.
I submitted a damage claim {n} days ago and have heard nothing.
The recipient says the box was empty, how do I start a claim?
My claim payment has not arrived even though it was approved.
I need to know what documents I need to file a claim for a damaged item.
Can I get a refund for a money order that was lost?
The postage machine charged me {amt} but didn't print the label, I want that refunded.
I was overcharged at the counter, the clerk charged {amt} instead of the posted price.
The registered letter was lost and I want the insurance payout.
Your website says I can claim up to 60 days after mailing, I'm on day {n}, please help me file.
My {item} arrived with the screen cracked and the box crushed, I want compensation.
I need a refund for a PO box fee I was charged after closing the box.
My claim was closed saying I didn't provide proof of value but I sent the receipt.
The package was insured but the claim form keeps giving me an error.
I paid for Signature Confirmation and nobody signed, can I get that fee back?
I'd like reimbursement for the damaged contents of my parcel.
The refund for my unused labels still hasn't been credited to my card.
I want to dispute the decision on my claim for {amt}.
""",
"feedback_complaint": """
I want to complain about the rude clerk at the {city} post office.
Our mail carrier is wonderful and I'd like to thank her for her excellent service.
The line at the post office was over an hour long and only one window was open.
The carrier was yelling at me and was very unprofessional.
I want to give feedback about how badly my parcel was handled.
Your employee was extremely helpful today, please pass on my thanks.
The post office lobby is dirty and the self-service kiosk has been broken for months.
The mail truck drives across my lawn every day and has ruined the grass.
The staff at the counter refused to help me and rolled their eyes.
I'm very disappointed with the service I received at my local branch.
Our carrier always goes the extra mile, he deserves recognition.
The manager at the post office hung up on me when I called.
I'd like to file a formal complaint about the way I was treated.
The carrier smokes while delivering the mail and throws the butts in my yard.
Your website is confusing and I could not find what I was looking for.
The employee was on her phone the whole time and ignored the customers.
Your customer service phone line kept me on hold for 90 minutes.
The post office closed early without any notice posted.
I am writing to praise the team at the {city} branch for finding my lost letter.
The carrier is always speeding through our neighborhood with kids around.
The service has gotten worse and worse over the last year.
I'm tired of the attitude I get every time I go to the counter.
Thank you to the carrier who noticed my elderly neighbor had fallen and called for help.
The postal worker made offensive comments to me.
Nobody answers the phone at my local post office, it rings forever.
I have a suggestion: please add more parking at the {city} post office.
The clerk gave me wrong information about shipping to Canada and was rude about it.
Our carrier left a nice note for my kids, that made our day.
The app keeps crashing and I want to report how frustrating it is.
I'd like to compliment the way the staff handled the holiday rush.
Shoutout to our mail carrier, she is the best and always smiles.
Big thanks to the clerk who helped me pack my box so carefully.
Kudos to the whole team at my post office, great job this year.
I just want to say the service has been excellent lately.
The carrier was rude when I asked him a simple question about my mail.
""",
"delivery_services": """
I want to put a hold on my mail while I'm on vacation from {date}.
How do I change my address? I'm moving to {city} next month.
I need to forward my mail to a temporary address for the summer.
I'd like to rent a PO box, what sizes and prices do you have?
I lost the key to my PO box, how do I get a new one?
Can you schedule a redelivery for the package I missed today?
How much does it cost to ship a 5 lb package to {city}?
What is the cheapest way to send a package overseas?
Can I schedule a free package pickup from my home?
I want to intercept a package and have it returned to me.
My change of address request has not taken effect after two weeks.
How long can you hold my mail? I'll be away for three weeks.
Can I ship {item} through the mail?
I need to extend my hold mail request until {date}.
Please cancel my mail forwarding, I moved back.
What's the difference between Priority Mail and Ground Advantage?
I want to renew my PO box online but the site won't let me.
Is it possible to pick up my package at the post office instead of delivery?
How do I send a package with signature confirmation?
I'd like to change the delivery address of a package already in transit.
Can I get my mail delivered to my PO box instead of my street address?
Do you deliver packages to a parcel locker near me?
I need to buy flat rate boxes, can I get them free?
How do I ship lithium batteries internationally?
My hold mail request ended but my mail hasn't been delivered yet.
I want to set up Premium Forwarding for my seasonal home.
How do I verify my identity for a change of address?
I need to know the size limits for Priority Mail Express.
Can I leave a package in my mailbox for the carrier to pick up?
I'd like to add my new roommate's name to my mailbox.
""",
"informed_delivery": """
I can't sign in to my USPS account, it says my password is wrong.
My Informed Delivery emails stopped coming a week ago.
Informed Delivery shows mail pieces that never arrive.
I didn't get the verification code to finish setting up my account.
My account is locked after too many login attempts.
I want to change the email address on my online account.
The Informed Delivery dashboard shows no images of my mail.
How do I sign up for Informed Delivery? The identity check failed.
I forgot my username and the reset link doesn't work.
I keep getting Informed Delivery notifications for the previous resident.
Please delete my online account and all my data.
The two-step verification code never arrives on my phone.
Informed Delivery says my address is not eligible.
I get an error when I try to log in to usps.com.
The daily digest email shows mail for someone else.
My package doesn't appear on my Informed Delivery dashboard.
I can't add a package to my account with the tracking number.
I requested an invitation code by mail for identity verification and it never came.
How do I turn off the text notifications from Informed Delivery?
My account shows the wrong address and I can't edit it.
I changed my password but the app still won't log me in.
The Informed Delivery app keeps saying "something went wrong".
Someone created an account with my address, how do I remove them?
I need help merging two online accounts.
The scanned images in my daily digest are blank.
I'm not getting the email notifications I signed up for on my account.
Why does my business account say it's pending verification?
My password reset email goes to an old address I can't access.
The login page just reloads every time I enter my credentials.
Informed Delivery stopped showing package notifications after I moved.
The verification letter for my online account never helped, I still can't log in.
My account says my email is already in use when I try to register.
The Informed Delivery preview shows envelopes from the last owner of the house.
""",
"general": """
What are the opening hours of the post office on Saturday?
How much does a Forever stamp cost now?
How do I make an appointment for a passport?
Can I buy a money order with a credit card?
I'd like to know how to apply for a job with the postal service.
What is the ZIP code for this address in {city}?
I got a text message saying my package is held, is it a scam?
Do you sell prepaid envelopes at the counter?
Where is the closest post office that is open on Sunday?
Is the post office open on the holiday?
How can I get a copy of a receipt from last month?
Can I send a fax from the post office?
I'd like to order stamps online but can't find the collectible sets.
What do I need to bring to renew my passport?
Do you sell shipping insurance for letters?
How can I become a rural carrier?
Do you accept cash for international money orders?
Where can I find the mail collection times for the blue box on my street?
How do I report a suspicious email pretending to be from you?
Can I donate stamps to a charity through the post office?
I have a question about mailing to a military APO address.
How do I get a new mailbox approved for my house?
Can you tell me whether my street is in your delivery area?
I found a wallet in my mailbox, what should I do?
How do I stop receiving junk mail?
I'm writing a school project about the postal service, who can I talk to?
Do post offices sell gift cards?
I received a letter that isn't mine and isn't for my address, what do I do with it?
How do I get my business listed for bulk mail permits?
What's the phone number of my local post office?
I got an email that says USPS needs a fee to release my parcel, is that legit?
A text told me to click a link and confirm my address for a delivery, I think it's fake.
Can I pay for stamps with Apple Pay at the counter?
How many stamps do I need for a large envelope to Canada?
Are you hiring seasonal workers for the holidays?
""",
}

DETAILS = {
"track_package": """
The seller says it was handed over on {date}.
I checked the tracking again this morning and nothing changed.
The package contains {item}.
It was sent from {city}.
I've already waited the recommended time.
I called the local office but no one could tell me anything.
The tracking number is {tn}.
The delivery was supposed to happen by {date}.
""",
"missing_package": """
It was sent from {city} on {date}.
The envelope was addressed correctly, I double-checked.
The contents are worth about {amt}.
I don't have a tracking number, it was a regular letter.
The sender is my grandmother and she is very worried.
I checked with my neighbors and nobody has it.
It contained {item}.
The tracking number, if it helps, is {tn}.
""",
"delivery_issue": """
This has happened at least {n} times this month.
My address is clearly marked on the house.
I have a photo of where the package was left.
The package contained {item}.
Our mailbox is labelled with our names.
I already told the carrier in person but nothing changed.
The tracking number for the last one is {tn}.
It happened again on {date}.
""",
"claim_refund": """
I have photos of the damaged box and the contents.
The receipt shows I paid {amt}.
It was mailed on {date}.
The tracking number is {tn}.
I kept all the packaging as instructed.
The item was {item}.
I have the original insurance receipt.
The claim number is in my account.
""",
"feedback_complaint": """
This happened on {date} around noon.
I've been a customer for over twenty years.
I'm not the only one, my neighbors have noticed it too.
I hope someone reads this.
I didn't get the employee's name but it was the woman at window 2.
Please make sure this gets to the right manager.
It was at the branch in {city}.
I would appreciate a response.
""",
"delivery_services": """
My new address is in {city}.
I'll be away from {date}.
The package weighs about 3 pounds.
I'd like to do it online if possible.
I'm moving with my whole family.
The redelivery notice number is on the slip.
It's for my small business.
Please let me know what the options are.
""",
"informed_delivery": """
I already tried clearing my browser cookies.
I'm using the app on my phone.
My username is the same as my email address.
I signed up about a month ago.
This started after the last app update.
I tried three different browsers.
I can still get in on my laptop but not on my phone.
I've reset my password twice already.
""",
"general": """
Thanks in advance for the information.
I couldn't find the answer on your website.
I live in {city}.
I need to know before {date}.
It's for my elderly father.
The website was not clear about this.
A quick answer would be great.
I tried calling but couldn't get through.
""",
}

# Call-or-visit matters (DOMAIN.md §2.2): (reason, topic, sentence).
URGENT = """
passport|missing_package|I mailed my passport application {n} weeks ago and it never arrived at the passport agency.
passport|missing_package|My passport was sent back to me by mail and it's lost, I travel next week.
passport|missing_package|The envelope with my passport documents and birth certificate has gone missing.
passport|track_package|My passport renewal package {tn} has been stuck for {n} days, it has my old passport inside.
passport|missing_package|The State Department says they mailed my new passport on {date} but I never received it.
passport|missing_package|I can't find my child's passport application, it was mailed from the post office and disappeared.
express_failing|track_package|My Priority Mail Express package {tn} was guaranteed by noon today and it's still not out for delivery.
express_failing|delivery_issue|The overnight envelope has to be delivered today and the carrier just marked it "no access".
express_failing|track_package|I paid for Priority Mail Express overnight, it must arrive this afternoon and tracking hasn't moved since last night.
express_failing|delivery_issue|Our Express Mail with contract papers was supposed to arrive by 10:30 this morning and it's not here.
express_failing|track_package|The overnight package with medication needs to be delivered tonight but tracking shows it in {city}.
notarisation|general|I need documents notarized today, can someone at the post office do it?
notarisation|general|My closing papers need a notary and compliance paperwork before I can mail them.
notarisation|general|Where can I get an apostille and notarized copies for documents I have to mail abroad?
notarisation|general|The bank says my compliance documents must be notarised before mailing, can you help?
legal_deadline|missing_package|I have a court filing deadline tomorrow and the documents I mailed haven't arrived.
legal_deadline|track_package|My lawyer needs the signed contract by tomorrow and the tracking for {tn} hasn't moved.
legal_deadline|delivery_issue|The summons response must reach the court today and it was delivered to the wrong address.
legal_deadline|missing_package|My tax return must be postmarked today and the envelope I sent yesterday came back to me.
legal_deadline|track_package|The immigration documents are due at USCIS tomorrow and the package is stuck in {city}.
"""

# Look-alikes that must not be urgent (reason-like words, no urgency).
NEAR_MISS = """
general|How do I make a passport appointment at my local post office?
general|What are the fees for a passport photo at the post office?
claim_refund|My Priority Mail Express package was late last week, I want a refund of the postage.
delivery_services|How much does Priority Mail Express overnight cost to {city}?
general|Do you sell Certified Mail envelopes with return receipt?
delivery_issue|A letter from the court was delivered to my neighbor last month.
general|Is there a deadline for buying stamps before the price goes up?
delivery_services|I want to send my passport application by Priority Mail, which service is best?
"""

OTHER_CARRIER = """
track_package|Can you tell me where my package {ups} is? Tracking shows nothing.
track_package|My tracking number {ups} doesn't work on your website.
missing_package|The seller sent my order with {ups} and it never arrived.
track_package|I have number {ups} and the status hasn't changed in days.
"""

GREETINGS = """
Hello,
Hi,
Dear Sir or Madam,
Good morning,
Hi there,
To whom it may concern,
Hello USPS,
Dear customer service,
Hey,
Good afternoon,
"""

OPENERS = """
I hope you can help me.
I'm writing because I have a problem.
I have a question.
I've tried everything else, so I'm writing to you.
This is my second message about this.
I need some help, please.
Sorry to bother you.
I'm reaching out regarding an issue.
"""

EMOTIONS = """
This is really frustrating.
I'm very upset about this.
I'd really appreciate your help.
Please help, this is important to me.
I'm quite worried.
Honestly this is unacceptable.
I don't know what else to do.
"""

CLOSINGS = """
Thank you,
Thanks,
Best regards,
Regards,
Sincerely,
Thanks for your help,
Kind regards,
Cheers,
"""

SUBJECTS = {
"track_package": "Tracking not updating|Package tracking question|Where is my package?|Tracking stuck|Status question",
"missing_package": "Missing package|Letter never arrived|Lost mail|Package not received|Missing mail",
"delivery_issue": "Delivery problem|Wrong address delivery|Mail delivery issue|Package left outside|No mail delivered",
"claim_refund": "Claim|Refund request|Damaged package claim|Refund|Insurance claim",
"feedback_complaint": "Complaint|Feedback|Thank you|Complaint about employee|Service feedback",
"delivery_services": "Hold mail|Change of address|PO Box question|Redelivery|Shipping question",
"informed_delivery": "Account problem|Informed Delivery|Can't log in|Login issue|Account help",
"general": "Question|General question|Information|Inquiry|Quick question",
}

ITEMS = "a laptop|medication|a birthday present|documents|a phone|books|clothes|a watch|photos|a check|vitamins|car parts"
CITIES = "Chicago|Denver|Houston|Miami|Seattle|Atlanta|Phoenix|Boston|Dallas|Portland|San Diego|Newark"
DATES = "Sept 3|September 3rd|Oct 12|last Monday|March 5|Nov 2|Jan 14|the 20th|May 9|June 30"
NAMES = "John Miller|Maria Lopez|Sarah K.|Tom|Linda Johnson|Mike R.|Patricia Brown|Kevin|J. Nguyen|Emily Carter"
