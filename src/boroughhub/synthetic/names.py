"""Name lists of the populations seen sleeping rough and approaching councils in London.

Our own lists of common given names and surnames (facts about names, written for this project),
with the spelling families that make linkage hard: transliterations (Mohammed / Mohamed / Muhammad),
short forms (William / Bill), letters with diacritics that systems drop (Ştefan / Stefan), and the
naming customs that swap or double surnames (Eritrean and Somali father's names, Iberian double
surnames).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NamePopulation:
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    patronymic: bool = False  # the surname is a father's given name (Eritrea, Somalia, Sudan ...)
    double_surname: float = 0.0  # share with two surnames (Spain, Portugal, Brazil)


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_ARABIC_MALE = _split(
    "Mohammed Ahmed Ali Omar Hassan Hussein Ibrahim Yusuf Mustafa Khalid Mahmoud Abdullah Osman "
    "Adam Idris Ismail Salah Tariq Bilal Hamza Karim Walid Nasser Faisal Jamal Samir Yasin"
)
_ARABIC_FEMALE = _split("Fatima Aisha Amina Mariam Zainab Khadija Halima Noor Layla Samira Huda Salma")

POPULATIONS: dict[str, NamePopulation] = {
    "british": NamePopulation(
        _split(
            "John David Michael Paul James Mark Andrew Robert Stephen Peter Richard Christopher "
            "Anthony Daniel Thomas William Gary Lee Darren Wayne Craig Steven Kevin Ian Simon Martin "
            "Jason Dean Carl Neil Shaun Jamie Ryan Scott Liam Kieran Jordan Nathan Matthew Joseph"
        ),
        _split(
            "Sarah Emma Claire Lisa Michelle Nicola Kelly Donna Joanne Karen Tracey Samantha Laura "
            "Rebecca Hayley Stacey Kerry Natalie Gemma Louise Jennifer Elizabeth Margaret Susan"
        ),
        _split(
            "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
            "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
            "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan "
            "Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell "
            "Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan "
            "Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb "
            "Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes "
            "Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Grant"
        ),
    ),
    "irish": NamePopulation(
        _split("Patrick Sean Michael John Declan Brendan Ciaran Liam Eamon Padraig Colm Kevin Noel Martin"),
        _split("Mary Siobhan Aoife Niamh Bridget Catherine Sinead Roisin Maeve Orla"),
        _split(
            "Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor O'Neill O'Reilly Doyle McCarthy "
            "Gallagher Doherty Kennedy Lynch Murray Quinn Moore McLoughlin Carroll Connolly Daly "
            "Fitzgerald Brennan McDonagh Ward Maguire"
        ),
    ),
    "romanian": NamePopulation(
        _split(
            "Ion Gheorghe Vasile Constantin Nicolae Mihai Ionuţ Andrei Alexandru Florin Marian Cristian "
            "Ştefan Adrian Daniel Costel Dumitru Petru Marius Cătălin Bogdan Sorin Liviu Viorel Gabriel"
        ),
        _split("Maria Elena Ioana Mihaela Andreea Florentina Gabriela Ana Georgeta Daniela Nicoleta"),
        _split(
            "Popescu Ionescu Popa Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Rusu Munteanu Lungu "
            "Constantin Mihai Moldovan Neagu Marin Tudor Dobre Barbu Nistor Florea Ştefan Dinu Lazăr "
            "Căpraru Pîrvu Sârbu Mocanu Şerban Ţurcanu Vlad Zamfir Ene"
        ),
    ),
    "polish": NamePopulation(
        _split(
            "Piotr Krzysztof Tomasz Paweł Marcin Michał Grzegorz Jan Andrzej Łukasz Wojciech Adam "
            "Mariusz Dariusz Marek Rafał Jacek Sławomir Robert Zbigniew Janusz Jarosław Przemysław"
        ),
        _split("Anna Katarzyna Agnieszka Małgorzata Joanna Ewa Magdalena Monika Dorota Beata"),
        _split(
            "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
            "Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski "
            "Nowakowski Pawłowski Michalski Król Wieczorek Jabłoński Wróbel Majewski Olszewski"
        ),
    ),
    "baltic": NamePopulation(
        _split("Tomas Mindaugas Darius Andrius Rimas Vytautas Jonas Arturas Janis Andris Aivars Edgars"),
        _split("Ruta Jurgita Lina Inga Ilze Kristine Laura Daiva"),
        _split(
            "Kazlauskas Jankauskas Petrauskas Stankevičius Vasiliauskas Žukauskas Butkus Paulauskas "
            "Bērziņš Kalniņš Ozoliņš Jansons Liepiņš Krūmiņš Balodis"
        ),
    ),
    "bulgarian": NamePopulation(
        _split("Georgi Ivan Dimitar Nikolay Petar Hristo Stoyan Todor Vasil Angel Kiril Plamen"),
        _split("Maria Ivanka Elena Yordanka Petya Desislava Gergana Vanya"),
        _split(
            "Ivanov Georgiev Dimitrov Petrov Nikolov Hristov Stoyanov Todorov Iliev Vasilev Atanasov "
            "Angelov Yordanov Kolev Marinov"
        ),
    ),
    "iberian": NamePopulation(
        _split("José João António Manuel Francisco Carlos Luís Paulo Pedro Miguel Rui Jorge Javier Diego"),
        _split("Maria Ana Sofia Inês Carla Patrícia Lucía Carmen Sandra Paula"),
        _split(
            "Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Jesus Sousa Fernandes "
            "Gonçalves Gomes Lopes Marques Alves García López Martínez Sánchez Pérez González"
        ),
        double_surname=0.35,
    ),
    "italian": NamePopulation(
        _split("Giuseppe Marco Antonio Francesco Luca Alessandro Andrea Giovanni Salvatore Roberto Paolo"),
        _split("Giulia Francesca Chiara Sara Valentina Anna Alessia"),
        _split("Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti"),
    ),
    "central_european": NamePopulation(
        _split("László István József Zoltán Péter Tibor Jozef Peter Milan Pavel Tomáš Martin Lukas Jean"),
        _split("Erzsébet Katalin Zsuzsanna Jana Eva Petra Marie Claire"),
        _split(
            "Nagy Kovács Tóth Szabó Horváth Varga Kiss Molnár Horvath Kováč Novák Svoboda Dvořák "
            "Müller Schmidt Schneider Martin Bernard Dubois"
        ),
    ),
    "albanian": NamePopulation(
        _split("Arben Besnik Dritan Ermal Gentian Ilir Klodian Fatmir Artan Erion"),
        _split("Elira Mirela Anila Blerina"),
        _split("Hoxha Shehu Gashi Berisha Krasniqi Leka Dervishi Kola Marku Prifti"),
    ),
    "eritrean": NamePopulation(
        _split(
            "Yonas Tesfay Dawit Mehari Filmon Habtom Kibrom Samuel Biniam Mussie Tekle Abraham Yohannes "
            "Haile Berhane Goitom Robel Efrem Henok Merhawi Teklay Amanuel Selam Daniel Solomon"
        ),
        _split("Helen Senait Saba Luwam Semhar Rahel Selam Hiwet Mebrat Tsega Eden Ruta"),
        _split(
            "Tesfay Gebremedhin Haile Berhe Tekle Kidane Gebremichael Abraha Ghebreyesus Weldemariam "
            "Mehari Habte Andemariam Tsegay Woldu Negash Asmelash Yemane Kahsay Gebrehiwet Tewelde"
        ),
        patronymic=True,
    ),
    "somali": NamePopulation(
        _split(
            "Abdi Abdullahi Mohamed Ahmed Ali Hassan Hussein Omar Ismail Yusuf Abdirahman Abdikarim "
            "Mahamed Osman Farah Liban Abdiaziz Mukhtar Said Bashir Nur"
        ),
        _split("Hodan Amina Fadumo Sahra Hawa Asha Ifrah Ubah Nimco Safiya Khadra Hibo"),
        _split(
            "Abdi Mohamed Ahmed Ali Hassan Hussein Omar Ismail Yusuf Farah Warsame Jama Egal Mohamud "
            "Abdullahi Osman Nur Aden Dirie Guled Hirsi Elmi Abdillahi"
        ),
        patronymic=True,
    ),
    "sudanese": NamePopulation(
        _ARABIC_MALE + _split("Abdelrahman Mohamed Elsadig Osman Babiker Musa Adam Abakar"),
        _ARABIC_FEMALE,
        _split(
            "Mohamed Ahmed Abdalla Elhassan Osman Ibrahim Adam Musa Yousif Babiker Elamin Abakar "
            "Hamid Suleiman Abdelrahman Ali Hassan Idris"
        ),
        patronymic=True,
    ),
    "arabic": NamePopulation(
        _ARABIC_MALE,
        _ARABIC_FEMALE,
        _split(
            "Al-Hassan Al-Khatib Haddad Khalil Nasser Saleh Hamdan Mansour Ahmed Mohammed Abbas Jaber "
            "Karim Rahman Aziz Hussein Salem Younis Mahmoud Al-Obaidi Al-Jabouri"
        ),
    ),
    "west_african": NamePopulation(
        _split(
            "Oluwaseun Chinedu Emeka Tunde Olumide Babatunde Kwame Kofi Kwabena Samuel Emmanuel "
            "Daniel Michael Ibrahim Godwin Chukwuemeka Segun Adebayo Yaw Ebenezer"
        ),
        _split("Blessing Chioma Funmilayo Ngozi Folake Adwoa Abena Grace Esther Comfort Yetunde"),
        _split(
            "Okafor Adeyemi Okonkwo Oladipo Balogun Eze Nwosu Adebayo Mensah Owusu Boateng Asante "
            "Osei Appiah Ogunleye Afolabi Obi Danso Addo Bello"
        ),
    ),
    "south_asian": NamePopulation(
        _split(
            "Rajesh Sunil Amit Sanjay Harpreet Gurpreet Manjit Jaswinder Kuldip Arjun Vijay Ravi "
            "Rahul Deepak Suresh Mohammed Imran Asif Tariq Shahid Abdul Rashid Nazrul Shafiq Kamal "
            "Mohammad Faisal Zubair"
        ),
        _split("Priya Sunita Anjali Harjit Parveen Nasreen Shabana Rukhsana Fatima Ruksana Shahnaz"),
        _split(
            "Singh Kaur Patel Sharma Kumar Gill Sandhu Sidhu Shah Khan Hussain Ahmed Ali Begum "
            "Rahman Uddin Miah Islam Chowdhury Akhtar Iqbal Mahmood Qureshi Malik Bibi"
        ),
    ),
    "afghan_iranian": NamePopulation(
        _split(
            "Ahmad Mohammad Ali Reza Hossein Mehdi Amir Hamid Javad Omid Farid Naveed Mustafa Rahim "
            "Sayed Wahid Nasir Jawad Karim Hamed"
        ),
        _split("Maryam Fatemeh Zahra Parisa Nasrin Shirin Farzana Mina Leila"),
        _split(
            "Ahmadi Mohammadi Hosseini Rezaei Karimi Rahimi Sultani Noori Amiri Hashemi Safi Stanekzai "
            "Popal Azizi Jafari Moradi Hakimi Sadat"
        ),
    ),
    "turkish_kurdish": NamePopulation(
        _split("Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim Murat Kemal Serdar Rebwar Dilshad Karwan"),
        _split("Ayşe Fatma Emine Zeynep Hatice Nazanin"),
        _split("Yılmaz Kaya Demir Şahin Çelik Yıldız Aydın Öztürk Arslan Doğan Rashid Kurdi Ahmed"),
    ),
    "caribbean": NamePopulation(
        _split("Delroy Winston Leroy Marlon Clive Everton Andre Garfield Desmond Trevor Carlton Lloyd"),
        _split("Marcia Sharon Beverley Janet Paulette Claudette Sonia Yvonne"),
        _split(
            "Campbell Brown Williams Thompson Grant Reid Francis Bailey Clarke Lewis Henry Gordon "
            "Morgan Simpson Morris Walker Edwards Graham Stewart"
        ),
    ),
}

# Which name population a nationality draws from.
POPULATION_OF_NATIONALITY: dict[str, str] = {
    "GBR": "british", "USA": "british", "AUS": "british", "ZAF": "british", "IRL": "irish",
    "ROU": "romanian", "MDA": "romanian", "POL": "polish", "LTU": "baltic", "LVA": "baltic",
    "BGR": "bulgarian", "PRT": "iberian", "ESP": "iberian", "BRA": "iberian", "ITA": "italian",
    "HUN": "central_european", "SVK": "central_european", "CZE": "central_european",
    "FRA": "central_european", "DEU": "central_european", "ALB": "albanian", "ERI": "eritrean",
    "ETH": "eritrean", "SOM": "somali", "SDN": "sudanese", "IRQ": "arabic", "SYR": "arabic",
    "EGY": "arabic", "LBY": "arabic", "KWT": "arabic", "XXA": "arabic", "NGA": "west_african",
    "GHA": "west_african", "IND": "south_asian", "PAK": "south_asian", "BGD": "south_asian",
    "AFG": "afghan_iranian", "IRN": "afghan_iranian", "TUR": "turkish_kurdish", "JAM": "caribbean",
}

# Spelling families: every member is a plausible record of any other.
_SPELLING_FAMILIES = (
    "Mohammed Mohamed Muhammad Mohammad Muhammed Mohamad Mahamed Mohamud",
    "Ahmed Ahmad Ahmet Ahmmed", "Hussein Husein Hussain Hossein Hüseyin Husain",
    "Yusuf Yousef Yosef Yousif Yusef", "Hassan Hasan Hassen", "Osman Othman Usman Osmán",
    "Omar Umar Omer", "Ibrahim Ebrahim İbrahim Ibraheem", "Mustafa Mostafa Moustafa Mustapha",
    "Khalid Khaled Khaleed", "Mahmoud Mahmud Mahmood Mehmood", "Abdullahi Abdulahi Abdillahi Abdallah Abdalla Abdullah",
    "Abdirahman Abdurahman Abdelrahman Abdulrahman", "Yonas Yohannes Yohanes Johannes",
    "Tesfay Tesfaye Tesfai", "Gebremedhin Ghebremedhin Gebremedin", "Gebremichael Ghebremichael Gebremikael",
    "Haile Hayle Hailu", "Tekle Tecle Teklay", "Berhe Berhane Birhane", "Mehari Mihret Meheri",
    "Ghebreyesus Gebreyesus", "Weldemariam Woldemariam Woldemariyam", "Tsegay Tsegai Tsegaye",
    "Abraham Abrham Abreham", "Samuel Semere Samwel", "Fadumo Faduma Fatuma", "Sahra Sahro Sara",
    "Fatima Fatuma Fatmah", "Aisha Ayesha Aysha", "Mariam Maryam Meryem", "Zainab Zaynab Zeynab",
    "Rashid Rasheed Reshid", "Nasser Nasir Naser", "Idris Idriss Edris", "Abdi Abdy",
    "Ion Ioan Ionel", "Gheorghe Georghe Gheorge", "Mihai Mihail Mihaita", "Andrei Andrey Andrej",
    "Nicolae Nicolai Nicolaie", "Popescu Popesku", "Ionescu Ionesku", "Dumitru Dimitru",
    "Jozef Józef Josef Joseph", "Krzysztof Krzystof Kristof", "Wojciech Wojcech", "Piotr Pyotr",
    "Dimitar Dimitri Dimitr", "Georgi Georgy Georgii", "Nikolay Nikolai", "Hristo Christo Hristos",
    "Sean Shaun Shawn Shane", "Stephen Steven Stephan Stefan", "Jon John Jonathon",
    "Jamie Jaime Jamey", "Lee Leigh", "Carl Karl", "Mark Marc", "Philip Phillip", "Geoffrey Jeffrey",
    "Clarke Clark", "Reid Reed Read", "Mensah Mensa", "Chowdhury Choudhury Chaudhry Chowdhry",
    "Begum Begom", "Uddin Udin Uddeen", "Miah Mia Meah", "Patel Patell", "Hosseini Husseini",
    "Mohammadi Mohamadi Muhammadi", "Rezaei Rezai Rezayee", "Karimi Kerimi", "Ivanov Ivanoff",
    "Murphy Murphey", "O'Sullivan OSullivan Sullivan", "O'Brien OBrien O'Brian", "O'Connor OConnor Connor",
)
SPELLING_VARIANTS: dict[str, tuple[str, ...]] = {}
for _family in _SPELLING_FAMILIES:
    _members = tuple(_family.split())
    for _name in _members:
        SPELLING_VARIANTS[_name] = tuple(m for m in _members if m != _name)

# Short forms and nicknames people give on the street or staff record.
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Billy", "Will"), "Robert": ("Rob", "Bob", "Bobby"), "James": ("Jim", "Jimmy", "Jamie"),
    "Michael": ("Mike", "Mick", "Micky"), "Anthony": ("Tony",), "Christopher": ("Chris",),
    "Daniel": ("Dan", "Danny"), "David": ("Dave", "Davy"), "Thomas": ("Tom", "Tommy"), "Joseph": ("Joe",),
    "Patrick": ("Pat", "Paddy"), "Richard": ("Rich", "Ricky"), "Stephen": ("Steve",), "Steven": ("Steve",),
    "Andrew": ("Andy", "Drew"), "Matthew": ("Matt",), "Peter": ("Pete",), "Samuel": ("Sam",),
    "Kevin": ("Kev",), "Nathan": ("Nate",), "Jonathan": ("Jon",), "Gary": ("Gaz",), "Darren": ("Daz",),
    "Elizabeth": ("Liz", "Beth", "Lizzie"), "Margaret": ("Maggie", "Peggy"), "Rebecca": ("Becky",),
    "Jennifer": ("Jen", "Jenny"), "Samantha": ("Sam", "Sammy"), "Susan": ("Sue",), "Catherine": ("Kate", "Cathy"),
    "Wojciech": ("Wojtek",), "Krzysztof": ("Krzysiek",), "Tomasz": ("Tomek",), "Grzegorz": ("Grzesiek",),
    "Aleksander": ("Olek",), "Małgorzata": ("Gosia",), "Katarzyna": ("Kasia",), "Constantin": ("Costel", "Costi"),
    "Gheorghe": ("Ghiţă", "George"), "Ionuţ": ("Nelu",), "Alexandru": ("Alex",), "Nicolae": ("Nicu",),
    "Vasile": ("Vasilică",), "Dumitru": ("Mitică",), "Mohammed": ("Mo",), "Mohamed": ("Mo",),
    "Abdullahi": ("Abdi",), "Abdirahman": ("Abdi",), "Oluwaseun": ("Seun",), "Babatunde": ("Tunde",),
    "Chukwuemeka": ("Emeka",), "Yohannes": ("John",), "Mehmet": ("Memo",), "Alessandro": ("Alex",),
    "Francesco": ("Franco",), "Giuseppe": ("Peppe",), "Przemysław": ("Przemek",), "Jarosław": ("Jarek",),
}

# Surnames only women carry (Sikh Kaur, Muslim Begum and Bibi): men get the usual male form.
MALE_FORM_OF_SURNAME: dict[str, str] = {"Kaur": "Singh", "Begum": "Miah", "Bibi": "Khan"}

# Street names and nicknames recorded as aliases (other_names).
STREET_NAMES: tuple[str, ...] = _split(
    "Scouse Jock Taff Paddy Geordie Smiley Shorty Lucky Tiny Red Ginger Frenchie Polish Doc Bear "
    "Kid Prof Sparky Chalky Dusty Irish Spider Mouse Rasta Yankee"
)

_NOT_DECOMPOSED = str.maketrans({"Ł": "L", "ł": "l", "ı": "i", "ß": "ss", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d"})


def ascii_fold(name: str) -> str:
    """The name as a system without accents records it (Ştefan -> Stefan, Łukasz -> Lukasz)."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_NOT_DECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
